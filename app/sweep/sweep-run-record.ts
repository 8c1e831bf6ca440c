/**
 * One sweep run as a record: its KPIs and its event-log digest. Local sweeps (sim/run's
 * Replications service on worker threads, local-sweep.ts) and cluster sweeps (a runner's worker
 * threads) both run a job through `runSweepRecord`, so a run's digest is the same wherever it ran,
 * and sweep.json can list every run's point, replication, seed and digest whichever way the sweep
 * was executed.
 */
import { kpiNumbers } from "../report/run-outcome.ts"
import { runScenarioOutcome } from "../run/scenario-outcome.ts"
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

/** Runs one scenario JSON at one seed; throws with the scenario's message if it is invalid. */
export const runSweepRecord = (json: unknown, scenarioHash: string, seed: number): SweepRunRecord => {
  const result = runScenarioOutcome({ json, scenarioHash, seed })
  if (!result.ok) throw new Error(result.message)
  return { kpis: kpiNumbers(result.outcome), digest: result.outcome.digest }
}

/**
 * The model function of a local sweep's replications (local-sweep.ts): the Replications service
 * passes the job's index as the replication's "seed"; the job table says which grid point and
 * which seed it is.
 */
export const sweepRecordJob = (jobIndex: number, options: SweepJobOptions): SweepRunRecord => {
  const job = options.jobs[jobIndex]
  if (job === undefined) throw new RangeError(`no sweep job ${jobIndex}`)
  return runSweepRecord(options.scenarios[job.point], options.scenarioHash, job.seed)
}
