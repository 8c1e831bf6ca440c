/**
 * The submitting side of a cluster sweep: `submitSweep` records the sweep in the ledger and
 * starts its workflow without waiting for it (`discard`), `awaitSweep` then polls PostgreSQL for
 * the workflow's stored result while printing progress per point — so the CLI holds no state a
 * crash could lose: kill it, and `--resume ID` calls `awaitSweep` again from another process.
 * While PostgreSQL is unreachable the wait stalls with a message and carries on when it is back.
 * `sweepStatus` is progress per point, read from the ledger.
 */
import { randomBytes } from "node:crypto"
import { Cause, Effect, Exit, Option } from "effect"
import type { SweepPlan } from "../sweep/sweep-grid.ts"
import { PROGRESS_POLL_MS } from "./cluster-timing.ts"
import { type PointProgress, pointProgress, recordSweep, type SweepSpec } from "./run-ledger.ts"
import { type RunRecord, type SweepPayload, SweepWorkflow } from "./sweep-workflows.ts"

/** A fresh sweep id: 12 hex digits, enough that two planners' sweeps never collide. */
export const newSweepId = (): string => `sw-${randomBytes(6).toString("hex")}`

export const payloadOf = (
  sweepId: string,
  plan: SweepPlan,
  baseSeed: number,
  scenarioHash: string,
): SweepPayload => ({
  sweepId,
  scenarios: plan.scenarios.map((s) => JSON.stringify(s)),
  replications: plan.jobs.filter((j) => j.point === 0).length,
  baseSeed,
  scenarioHash,
})

export const submitSweep = (payload: SweepPayload, spec: SweepSpec, jobs: number) =>
  Effect.gen(function* () {
    yield* recordSweep(payload.sweepId, spec, jobs)
    yield* SweepWorkflow.execute(payload, { discard: true })
  })

export type SweepEnd =
  | { readonly ok: true; readonly records: ReadonlyArray<RunRecord> }
  | { readonly ok: false; readonly message: string }

export interface AwaitOptions {
  readonly onProgress: (progress: ReadonlyArray<PointProgress>) => void
  readonly onStall: (message: string) => void
}

/** One look at the sweep: its end if the workflow has completed, otherwise the progress. */
const look = (sweepId: string, executionId: string) =>
  Effect.gen(function* () {
    const result = yield* SweepWorkflow.poll(executionId)
    if (Option.isSome(result) && result.value._tag === "Complete") {
      const exit = result.value.exit
      const end: SweepEnd = Exit.isSuccess(exit)
        ? { ok: true, records: exit.value }
        : { ok: false, message: Cause.pretty(exit.cause) }
      return { end }
    }
    return { progress: yield* pointProgress(sweepId) }
  })

export const awaitSweep = (sweepId: string, options: AwaitOptions) =>
  Effect.gen(function* () {
    const executionId = yield* SweepWorkflow.executionId({
      sweepId,
      scenarios: [],
      replications: 1,
      baseSeed: 0,
      scenarioHash: "",
    })
    let stalled = false
    for (;;) {
      const seen = yield* Effect.exit(look(sweepId, executionId))
      if (Exit.isSuccess(seen)) {
        if (stalled) options.onStall("PostgreSQL is reachable again; the sweep carries on")
        stalled = false
        if (seen.value.end !== undefined) return seen.value.end
        options.onProgress(seen.value.progress)
      } else if (!stalled) {
        stalled = true
        options.onStall("cannot reach PostgreSQL; waiting for it (the sweep's state is safe there)")
      }
      yield* Effect.sleep(PROGRESS_POLL_MS)
    }
  })
