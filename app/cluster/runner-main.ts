/**
 * A runner: joins the cluster, registers both sweep workflows, and runs the `run` activity of
 * every sweep run whose shard it holds on its own worker threads (runner-pool.ts). Each run is
 * written to the ledger as `start` and `finish` (run-ledger.ts); a run the ledger already has a
 * finish row for is answered from that row, not run again. On SIGTERM the runtime interrupts
 * the runner: entities stop, running threads are terminated, the runner unregisters and its shard
 * locks are released, so the other runners take its shards (and rerun its unfinished runs) at once.
 */
import { Console, Effect, Layer, Schedule, Schema } from "effect"
import { Activity } from "effect/workflow"
import type { SweepRunRecord } from "../sweep/sweep-run-record.ts"
import { type RunnerAddressOptions, runnerEngineLayer } from "./cluster-layers.ts"
import type { ClusterUrl } from "./cluster-url.ts"
import { ensureLedger, finishedRecord, recordRunEvent } from "./run-ledger.ts"
import { RunnerPool } from "./runner-pool.ts"
import {
  type RunPayload,
  RunRecord,
  SweepRunFailed,
  SweepRunWorkflow,
  SweepWorkflowLayer,
} from "./sweep-workflows.ts"

export interface RunnerOptions extends RunnerAddressOptions {
  readonly cluster: ClusterUrl
  readonly threads: number
}

const toRecord = (run: RunPayload, r: SweepRunRecord, runner: string): RunRecord => ({
  job: run.job,
  point: run.point,
  replication: run.replication,
  seed: run.seed,
  digest: r.digest,
  kpis: Object.fromEntries(Object.entries(r.kpis).map(([k, v]) => [k, Number.isFinite(v) ? v : null])),
  runner,
})

/**
 * Ledger writes wait out a PostgreSQL outage (up to two minutes) instead of failing the run:
 * a failed write would otherwise be stored as the run's result once the database is back.
 */
const LEDGER_RETRY = { schedule: Schedule.spaced("500 millis"), times: 240 }

const runActivity = (run: RunPayload, runner: string) =>
  Activity.make({
    name: "run",
    success: SweepRunWorkflow.successSchema,
    error: SweepRunFailed,
    execute: Effect.gen(function* () {
      // The engine asks again for a run whose result it had not stored when PostgreSQL went away,
      // even when the run had finished and its finish row was written: that row answers it.
      const done = yield* finishedRecord(run.sweepId, run.job).pipe(Effect.retry(LEDGER_RETRY), Effect.orDie)
      if (done !== null) {
        yield* Console.log(`run ${run.sweepId}/${run.job}: finished before (ledger), not run again`)
        return Schema.decodeUnknownSync(RunRecord)(done)
      }
      const pool = yield* RunnerPool
      let started = Date.now()
      const onStart = recordRunEvent("start", run, runner, null).pipe(
        Effect.retry(LEDGER_RETRY),
        Effect.orDie,
        Effect.tap(() => Effect.sync(() => (started = Date.now()))),
      )
      const result = yield* pool
        .run({ scenario: run.scenario, scenarioHash: run.scenarioHash, seed: run.seed }, onStart)
        .pipe(Effect.mapError((e) => new SweepRunFailed({ job: run.job, message: e.message })))
      const record = toRecord(run, result, runner)
      yield* recordRunEvent("finish", run, runner, result.digest, record).pipe(
        Effect.retry(LEDGER_RETRY),
        Effect.orDie,
      )
      yield* Console.log(
        `run ${run.sweepId}/${run.job}: point ${run.point} replication ${run.replication} seed ${run.seed} → ${result.digest ?? "no digest"} in ${((Date.now() - started) / 1000).toFixed(1)} s`,
      )
      return record
    }),
  })

const runWorkflowLayer = (runner: string) => SweepRunWorkflow.toLayer((run) => runActivity(run, runner))

/** The runner as a layer; `Layer.launch` keeps it up until interrupted. */
export const runnerLayer = (options: RunnerOptions) => {
  const runner = `${options.host}:${options.port}`
  const announce = Layer.effectDiscard(
    Effect.gen(function* () {
      yield* ensureLedger
      yield* Console.log(
        `runner ${runner} joined the cluster at ${options.cluster.shown} with ${options.threads} worker threads`,
      )
      yield* Effect.addFinalizer(() => Console.log(`runner ${runner} left the cluster`))
    }),
  )
  // The ledger's tables exist before the first activity can write to them, and the worker
  // threads are warm before the runner registers and takes shards.
  return Layer.mergeAll(runWorkflowLayer(runner), SweepWorkflowLayer).pipe(
    Layer.provide(announce),
    Layer.provide(runnerEngineLayer(options.cluster, options)),
    Layer.provideMerge(RunnerPool.layer(options.threads)),
  )
}
