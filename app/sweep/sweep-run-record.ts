/**
 * One sweep run as a record: its KPIs and its event-log digest. Local sweeps (sim/run's
 * Replications service on worker threads, local-sweep.ts) and cluster sweeps (a runner's worker
 * threads) both run a job through `sweepRecord`, so a run's digest is the same wherever it ran,
 * and sweep.json can list every run's point, replication, seed and digest whichever way the sweep
 * was executed. The run is an effect paced by sim/run's RunControl (app/run/paced-runs.ts), so a
 * worker that is told to stop interrupts it between two chunks.
 */
import { Effect } from "effect"
import { kpiNumbers } from "../report/run-outcome.ts"
import { scenarioOutcome } from "../run/scenario-outcome.ts"
import type { SweepJob } from "./sweep-grid.ts"

export interface SweepRunRecord {
  /** KPIs as plain numbers; a KPI never measured is NaN. */
  readonly kpis: Record<string, number>
  /** The SM3 digest of the run's canonical event log (null for a kind that keeps none). */
  readonly digest: string | null
}

/** What every worker of a local sweep gets once: the grid's scenarios and the job table. */
export interface SweepJobOptions {
  readonly scenarios: ReadonlyArray<unknown>
  readonly jobs: ReadonlyArray<SweepJob>
  readonly scenarioHash: string
}

/** Runs one scenario JSON at one seed; fails with the scenario's message if it is invalid. */
export const sweepRecord = (
  json: unknown,
  scenarioHash: string,
  seed: number,
): Effect.Effect<SweepRunRecord, Error> =>
  Effect.flatMap(scenarioOutcome({ json, scenarioHash, seed }), (result) =>
    result.ok
      ? Effect.succeed({ kpis: kpiNumbers(result.outcome), digest: result.outcome.digest })
      : Effect.fail(new Error(result.message)),
  )

/**
 * The model function of a local sweep's replications (local-sweep.ts): the Replications service
 * passes the job's index as the replication's "seed"; the job table says which grid point and
 * which seed it is.
 */
export const sweepRecordJob = (
  jobIndex: number,
  options: SweepJobOptions,
): Effect.Effect<SweepRunRecord, Error> => {
  const job = options.jobs[jobIndex]
  if (job === undefined) return Effect.fail(new RangeError(`no sweep job ${jobIndex}`))
  return sweepRecord(options.scenarios[job.point], options.scenarioHash, job.seed)
}
