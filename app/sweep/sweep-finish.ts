/**
 * The end of every sweep, local or on a cluster: the runs' records (in job order) become the
 * aggregated result and the sweep folder (sweep.json with every run's point, replication, seed and
 * digest, sweep.csv, sweep.html), and the one-line summary the CLI prints.
 */
import type { PlannedSweep } from "./sweep-from-text.ts"
import { writeSweepFolder } from "./sweep-report.ts"
import { aggregate } from "./sweep-result.ts"
import type { SweepRunRecord } from "./sweep-run-record.ts"

export const finishSweep = (
  out: string,
  planned: PlannedSweep,
  records: ReadonlyArray<SweepRunRecord>,
  sweepId?: string,
): { readonly folder: string; readonly line: string } => {
  const result = aggregate(
    planned.plan,
    records.map((r) => r.kpis),
    records.map((r) => r.digest),
  )
  const meta = { scenario: planned.name, scenarioHash: planned.scenarioHash }
  const folder = writeSweepFolder(out, result, sweepId === undefined ? meta : { ...meta, sweepId })
  const knees = result.curves.filter((c) => c.knee !== null).length
  const where = sweepId === undefined ? "" : ` (cluster sweep ${sweepId})`
  return {
    folder,
    line: `sweep ${planned.name}${where}: ${planned.plan.points.length} points × ${result.replications} replications, ${knees} curves with a knee → ${folder}/sweep.html`,
  }
}
