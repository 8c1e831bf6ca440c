/**
 * A cluster sweep as durable workflows (effect/workflow on effect/cluster). The sweep is one
 * `SweepWorkflow`; each (point, replication) run is a child `SweepRunWorkflow` whose idempotency
 * key is `sweepId/job`, so it has one execution id however often it is submitted, resumed or
 * replayed. A child is a cluster entity: its execution id picks its shard, and shards are spread
 * over the runners — that is what spreads runs over machines (activities run where their workflow
 * runs). Inside a child the run itself is the activity `run`, whose result the engine persists in
 * PostgreSQL: once it has completed, a replay (after a runner dies, or the parent is resumed)
 * reads the stored result instead of running again. A run that was in flight on a runner that
 * died has no stored result and runs again on the shard's new owner; runs are pure functions of
 * (scenario, seed), so the digest is the same.
 */
import { Effect, Schema } from "effect"
import { Workflow } from "effect/workflow"

/** A run failed for a reason that rerunning cannot fix (the scenario is invalid, the model threw). */
export class SweepRunFailed extends Schema.TaggedError<SweepRunFailed>()("SweepRunFailed", {
  job: Schema.Number,
  message: Schema.String,
}) {}

export const RunPayload = Schema.Struct({
  sweepId: Schema.String,
  job: Schema.Int,
  point: Schema.Int,
  replication: Schema.Int,
  seed: Schema.Int,
  /** The grid point's scenario JSON, as text. */
  scenario: Schema.String,
  scenarioHash: Schema.String,
})
export type RunPayload = typeof RunPayload.Type

/** What a run leaves in PostgreSQL; a KPI never measured (NaN in the twin) is null here (JSON has no NaN). */
export const RunRecord = Schema.Struct({
  job: Schema.Int,
  point: Schema.Int,
  replication: Schema.Int,
  seed: Schema.Int,
  digest: Schema.NullOr(Schema.String),
  kpis: Schema.Record(Schema.String, Schema.NullOr(Schema.Number)),
  /** The runner that completed the run (host:port). */
  runner: Schema.String,
})
export type RunRecord = typeof RunRecord.Type

export const SweepRunWorkflow = Workflow.make("tsm-twin/SweepRun", {
  payload: RunPayload,
  success: RunRecord,
  error: SweepRunFailed,
  idempotencyKey: (p) => `${p.sweepId}/${p.job}`,
})

export const SweepPayload = Schema.Struct({
  sweepId: Schema.String,
  /** Each grid point's scenario JSON, as text. */
  scenarios: Schema.Array(Schema.String),
  replications: Schema.Int,
  baseSeed: Schema.Int,
  scenarioHash: Schema.String,
})
export type SweepPayload = typeof SweepPayload.Type

export const SweepWorkflow = Workflow.make("tsm-twin/Sweep", {
  payload: SweepPayload,
  success: Schema.Array(RunRecord),
  error: SweepRunFailed,
  idempotencyKey: (p) => p.sweepId,
})

/** The sweep's runs in job order — the same jobs, in the same order, as sweep-grid.ts plans. */
export const runPayloadsOf = (p: SweepPayload): RunPayload[] =>
  p.scenarios.flatMap((scenario, point) =>
    Array.from({ length: p.replications }, (_, replication) => ({
      sweepId: p.sweepId,
      job: point * p.replications + replication,
      point,
      replication,
      seed: p.baseSeed + replication,
      scenario,
      scenarioHash: p.scenarioHash,
    })),
  )

/** The parent: submit every run (each its own entity, so they spread over the runners) and collect. */
export const SweepWorkflowLayer = SweepWorkflow.toLayer((payload) =>
  Effect.forEach(runPayloadsOf(payload), (run) => SweepRunWorkflow.execute(run), {
    concurrency: "unbounded",
  }),
)
