/**
 * The sweep ledger: two tables of our own beside the engine's `cluster_*` tables. `tsm_twin_sweeps`
 * keeps what was submitted (the scenario text, the --vary arguments, the replications, the output
 * folder), so `--resume ID` rebuilds the identical plan in another process; `tsm_twin_sweep_runs`
 * is append-only: a `start` row when a runner begins a run and a `finish` row with its digest and
 * its record when it completes. Nothing is deduplicated here on purpose — the rows are how a test
 * (or a person) counts that each run completed exactly once, and sees the one run a killed runner
 * began twice. The finish row's record is what makes a run's completion survive the engine: a run
 * whose finish row was written just before PostgreSQL went away, and whose result the workflow
 * engine had not yet stored, is asked for again; its runner answers from the row (runner-main.ts).
 */
import { Effect, Schema } from "effect"
import { SqlClient } from "effect/sql"

export const SweepSpec = Schema.Struct({
  name: Schema.String,
  scenarioText: Schema.String,
  vary: Schema.Array(Schema.String),
  replications: Schema.Int,
  out: Schema.String,
})
export type SweepSpec = typeof SweepSpec.Type

export interface PointProgress {
  readonly point: number
  readonly finished: number
  readonly started: number
}

export type RunEvent = "start" | "finish"

const CREATE = [
  `CREATE TABLE IF NOT EXISTS tsm_twin_sweeps (
     sweep_id text PRIMARY KEY, spec jsonb NOT NULL, jobs integer NOT NULL,
     submitted_at timestamptz NOT NULL DEFAULT now())`,
  `CREATE TABLE IF NOT EXISTS tsm_twin_sweep_runs (
     id bigserial PRIMARY KEY, sweep_id text NOT NULL, job integer NOT NULL, point integer NOT NULL,
     replication integer NOT NULL, seed bigint NOT NULL, event text NOT NULL, runner text NOT NULL,
     digest text, at timestamptz NOT NULL DEFAULT now())`,
  // Ledgers made before finish rows kept their record gain the column (empty in their rows).
  "ALTER TABLE tsm_twin_sweep_runs ADD COLUMN IF NOT EXISTS record jsonb",
  "CREATE INDEX IF NOT EXISTS tsm_twin_sweep_runs_sweep ON tsm_twin_sweep_runs (sweep_id, job)",
]

/** Creates the tables once; an advisory lock serialises runners that start at the same moment. */
export const ensureLedger = Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  yield* sql.withTransaction(
    Effect.gen(function* () {
      yield* sql`SELECT pg_advisory_xact_lock(hashtext('tsm_twin_ledger'))`
      for (const statement of CREATE) yield* sql.unsafe(statement)
    }),
  )
})

export const recordSweep = (sweepId: string, spec: SweepSpec, jobs: number) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    yield* sql`INSERT INTO tsm_twin_sweeps (sweep_id, spec, jobs)
               VALUES (${sweepId}, ${JSON.stringify(spec)}::jsonb, ${jobs})`
  })

export const loadSweep = (sweepId: string) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const rows = yield* sql<{ spec: unknown; jobs: number }>`
      SELECT spec, jobs FROM tsm_twin_sweeps WHERE sweep_id = ${sweepId}`
    const row = rows[0]
    if (row === undefined) return null
    const spec = typeof row.spec === "string" ? JSON.parse(row.spec) : row.spec
    return { spec: Schema.decodeUnknownSync(SweepSpec)(spec), jobs: Number(row.jobs) }
  })

export const recordRunEvent = (
  event: RunEvent,
  run: { sweepId: string; job: number; point: number; replication: number; seed: number },
  runner: string,
  digest: string | null,
  /** The run's record, on a finish row (JSON). */
  record: unknown = null,
) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const json = record === null ? null : JSON.stringify(record)
    yield* sql`INSERT INTO tsm_twin_sweep_runs (sweep_id, job, point, replication, seed, event, runner, digest, record)
               VALUES (${run.sweepId}, ${run.job}, ${run.point}, ${run.replication}, ${run.seed},
                       ${event}, ${runner}, ${digest}, ${json}::jsonb)`
  })

/** The record of the run's first finish row (parsed JSON), or null when it has not finished. */
export const finishedRecord = (sweepId: string, job: number) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const rows = yield* sql<{ record: unknown }>`
      SELECT record FROM tsm_twin_sweep_runs
      WHERE sweep_id = ${sweepId} AND job = ${job} AND event = 'finish' AND record IS NOT NULL
      ORDER BY id LIMIT 1`
    const record = rows[0]?.record
    if (record === undefined || record === null) return null
    return typeof record === "string" ? (JSON.parse(record) as unknown) : record
  })

/** Per grid point: how many distinct runs have finished and how many have started. */
export const pointProgress = (sweepId: string) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const rows = yield* sql<{ point: number; finished: string; started: string }>`
      SELECT point,
             count(DISTINCT job) FILTER (WHERE event = 'finish') AS finished,
             count(DISTINCT job) FILTER (WHERE event = 'start') AS started
      FROM tsm_twin_sweep_runs WHERE sweep_id = ${sweepId} GROUP BY point ORDER BY point`
    return rows.map(
      (r): PointProgress => ({
        point: Number(r.point),
        finished: Number(r.finished),
        started: Number(r.started),
      }),
    )
  })

/** Per job: how many times it started and finished (the exactly-once count). */
export const runCounts = (sweepId: string) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const rows = yield* sql<{ job: number; starts: string; finishes: string; runners: string }>`
      SELECT job, count(*) FILTER (WHERE event = 'start') AS starts,
             count(*) FILTER (WHERE event = 'finish') AS finishes,
             string_agg(DISTINCT runner, ',') AS runners
      FROM tsm_twin_sweep_runs WHERE sweep_id = ${sweepId} GROUP BY job ORDER BY job`
    return rows.map((r) => ({
      job: Number(r.job),
      starts: Number(r.starts),
      finishes: Number(r.finishes),
      runners: r.runners.split(","),
    }))
  })
