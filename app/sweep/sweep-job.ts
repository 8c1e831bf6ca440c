/**
 * One sweep job inside a worker thread: the model function that sim/run/replication-worker.ts
 * loads. The Replications service sends the job's index as the "seed" of a replication; the job
 * table in the worker's options says which grid point and which seed it is. Returns the run's KPIs as
 * plain numbers (non-finite ones, such as a latency never measured, come back as NaN).
 */
import { kpiNumbers } from "../report/run-outcome.ts"
import { runScenarioOutcome } from "../run/scenario-outcome.ts"
import type { SweepJob } from "./sweep-grid.ts"

export interface SweepJobOptions {
  readonly scenarios: ReadonlyArray<unknown>
  readonly jobs: ReadonlyArray<SweepJob>
  readonly scenarioHash: string
}

export const sweepJob = (jobIndex: number, options: SweepJobOptions): Record<string, number> => {
  const job = options.jobs[jobIndex]
  if (job === undefined) throw new RangeError(`no sweep job ${jobIndex}`)
  const result = runScenarioOutcome({
    json: options.scenarios[job.point],
    scenarioHash: options.scenarioHash,
    seed: job.seed,
  })
  if (!result.ok) throw new Error(result.message)
  return kpiNumbers(result.outcome)
}
