/**
 * A sweep on this machine (DESIGN.md §4 scale-out): every job of the plan is one replication of
 * sim/run's Replications service, whose worker threads run one simulation each at a time, so the
 * results do not depend on how jobs were spread over threads. The job's index is the
 * replication's "seed" (sweep-run-record.ts looks the grid point and the real seed up), and each
 * job returns its KPIs and digest for sweep.json. Interrupting the effect stops the threads.
 */
import { fileURLToPath } from "node:url"
import { Effect } from "effect"
import { type ReplicationError, Replications } from "../../sim/run/replications.ts"
import type { SweepPlan } from "./sweep-grid.ts"
import type { SweepJobOptions, SweepRunRecord } from "./sweep-run-record.ts"

const RECORD_MODULE = fileURLToPath(new URL("./sweep-run-record.ts", import.meta.url))

export interface LocalSweepOptions {
  /** Worker threads; default: available parallelism, at most the number of jobs. */
  readonly workers?: number
  /** After each finished job, on the calling thread (the progress line). */
  readonly onJob?: (done: number, total: number) => void
}

/** Each job's record, in the order of `plan.jobs`; fails with the first failing job. */
export const runLocalSweep = (
  plan: Pick<SweepPlan, "scenarios" | "jobs">,
  scenarioHash: string,
  options: LocalSweepOptions = {},
): Effect.Effect<ReadonlyArray<SweepRunRecord>, ReplicationError, Replications> =>
  Effect.gen(function* () {
    const replications = yield* Replications
    const jobOptions: SweepJobOptions = { scenarios: plan.scenarios, jobs: plan.jobs, scenarioHash }
    return yield* replications.runEach<SweepRunRecord>({
      modulePath: RECORD_MODULE,
      exportName: "sweepRecordJob",
      seeds: plan.jobs.map((_, index) => index),
      options: jobOptions,
      ...(options.workers === undefined ? {} : { workers: options.workers }),
      ...(options.onJob === undefined ? {} : { onReplication: options.onJob }),
    })
  })
