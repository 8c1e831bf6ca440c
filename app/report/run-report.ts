/**
 * The run folder (DESIGN.md §4 "Outputs", issue 7 §5): `summary.json` (targets with value,
 * pass/fail and margin; what held back each miss; KPIs; invariants; digest; seed; scenario hash),
 * one CSV per time-series table, and `report.html`. Written incrementally: `start` writes a
 * "running" summary at once, each `snapshot` rewrites summary.json and report.html atomically and
 * appends only the new CSV rows, `finish` writes the final state. A run killed at any point leaves
 * a complete summary.json, a complete report.html and every CSV row written so far.
 */
import { mkdirSync } from "node:fs"
import { join, resolve } from "node:path"
import { writeJsonAtomically, writeTextAtomically } from "./atomic-json.ts"
import { CsvWriter } from "./csv-writer.ts"
import { simulatedDate } from "./format.ts"
import { heldBack } from "./held-back.ts"
import { reportHtml } from "./report-html.ts"
import type { RunMeta, RunOutcome, SeriesTable } from "./run-outcome.ts"
import { evaluateTargets } from "./targets.ts"

/** A file name from a series name: lower-case letters, digits and dashes. */
export const seriesFileName = (name: string): string =>
  `${
    name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-|-$/g, "") || "series"
  }.csv`

/** The summary.json document: the generic report fields, then the kind's own fields. */
export const summaryDocument = (o: RunOutcome, extra: Readonly<Record<string, unknown>> = {}) => {
  const targets = evaluateTargets(o)
  const held = heldBack(o, targets)
  return {
    scenario: o.scenario,
    kind: o.kind,
    status: o.status,
    seed: o.seed,
    scenarioHash: o.scenarioHash,
    digest: o.digest,
    simulatedEndUs: o.simulatedEndUs,
    simulated: { from: simulatedDate(o.startEpochS, 0), to: simulatedDate(o.startEpochS, o.simulatedEndUs) },
    targets,
    targetsMissed: targets.filter((t) => t.result === "fail").length,
    targetsNotReached: targets.filter((t) => t.result === "not reached").length,
    heldBack: held.map((h) => ({
      phase: h.phase,
      kpi: h.kpi,
      binding: h.binding === null ? null : { cause: h.binding.cause, shares: h.binding.shares },
      text: h.text,
      limits: h.limits,
    })),
    kpis: o.kpis,
    invariants: o.invariants,
    latency: o.latency,
    utilisation: o.utilisation,
    faults: o.faults,
    ...(o.parties === undefined ? {} : { parties: o.parties }),
    ...(o.fidelity === undefined ? {} : { fidelity: o.fidelity }),
    series: o.series.map((t) => ({ name: t.name, file: seriesFileName(t.name), rows: t.rows.length })),
    // The kind's own fields last: existing readers of summary.json keep their shapes.
    ...extra,
  }
}

export class RunReport {
  readonly folder: string
  readonly summaryPath: string
  private readonly csv = new Map<string, CsvWriter>()

  constructor(out: string) {
    this.folder = resolve(out)
    mkdirSync(this.folder, { recursive: true })
    this.summaryPath = join(this.folder, "summary.json")
  }

  /** The first, minimal summary: a run killed before its first snapshot still names itself. */
  start(meta: RunMeta): void {
    writeJsonAtomically(this.summaryPath, { ...meta, status: "running" })
  }

  snapshot(outcome: RunOutcome, extra: Readonly<Record<string, unknown>> = {}): void {
    for (const table of outcome.series) this.appendRows(table, outcome.startEpochS)
    writeJsonAtomically(this.summaryPath, summaryDocument(outcome, extra))
    const targets = evaluateTargets(outcome)
    writeTextAtomically(
      join(this.folder, "report.html"),
      reportHtml(outcome, targets, heldBack(outcome, targets)),
    )
  }

  /** The final state; the same as a snapshot, named for readability at call sites. */
  finish(outcome: RunOutcome, extra: Readonly<Record<string, unknown>> = {}): void {
    this.snapshot(outcome, extra)
  }

  /** Appends the rows of `table` not yet written; a table's rows only ever grow. */
  private appendRows(table: SeriesTable, startEpochS: number): void {
    let writer = this.csv.get(table.name)
    if (writer === undefined) {
      const header = ["tUs", "date", ...table.columns.map((c) => `${c.name} (${c.unit})`)]
      writer = new CsvWriter(join(this.folder, seriesFileName(table.name)), header)
      this.csv.set(table.name, writer)
    }
    if (table.rows.length < writer.rows)
      throw new Error(`series ${table.name} shrank from ${writer.rows} to ${table.rows.length} rows`)
    writer.append(
      table.rows.slice(writer.rows).map((r) => [r[0]!, simulatedDate(startEpochS, r[0]!), ...r.slice(1)]),
    )
  }
}
