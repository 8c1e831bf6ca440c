/**
 * Every kind of run driven by sim/run's RunControl (issue 11 §2: one run control): the kernel runs
 * in bounded chunks and the fiber yields between them, so interrupting the fiber (SIGINT/SIGTERM in
 * the CLI, a stopped sweep in a worker thread) stops the run between two events, and the chunking
 * changes neither the events nor their order (kernel.run(until) takes events strictly before
 * `until` however often it is called), so a paced run has the digest of the same run done at once
 * (runIssuance, runMoney, runPilot — which tests and benchmarks use).
 *
 * Chunk sizes bound the wall time between two yields: issuance and money events carry real crypto
 * (APDUs under secure channels, SM2 signatures, ARQCs; up to a millisecond each), so their chunks are
 * hundreds of events; most pilot events are cheap background decisions.
 */
import { Effect } from "effect"
import type { IssuanceRun, IssuanceStart } from "../../model/world/issuance/run-issuance.ts"
import type { MoneyStart, MoneySummary } from "../../model/world/money/money-run.ts"
import {
  type PilotBoundaryHooks,
  type PilotRunState,
  type PilotStart,
  pilotBoundary,
} from "../../model/world/pilot/pilot-run.ts"
import { makeRunControl } from "../../sim/run/run-control.ts"

const US_PER_DAY = 86_400_000_000

/** Wall milliseconds of simulation between two yields at most (DESIGN.md §2: signals within a chunk). */
export const SLICE_MS = 100
export const ISSUANCE_CHUNK_EVENTS = 200
export const MONEY_CHUNK_EVENTS = 500
export const PILOT_CHUNK_EVENTS = 200_000

/** An issuance world run to its last day with a boundary per simulated day (`start.boundary`). */
export const paceIssuance = (start: IssuanceStart): Effect.Effect<IssuanceRun> =>
  Effect.gen(function* () {
    const rc = yield* makeRunControl(start.world.kernel, {
      chunkEvents: ISSUANCE_CHUNK_EVENTS,
      sliceMs: SLICE_MS,
      boundaryEveryUs: US_PER_DAY,
      onBoundary: start.boundary,
    })
    yield* rc.start(start.days * US_PER_DAY)
    return start.finish()
  })

/**
 * A money world: each day up to its cut-off (23:00, model/world/money/money-world.ts TIMING), the
 * cut-off, `onDay(day)` (1-based, after the cut-off), then every timer drained and the final cycles.
 */
export const paceMoney = (
  start: MoneyStart,
  onDay: (day: number) => void = () => {},
): Effect.Effect<MoneySummary> =>
  Effect.gen(function* () {
    const rc = yield* makeRunControl(start.world.kernel, {
      chunkEvents: MONEY_CHUNK_EVENTS,
      sliceMs: SLICE_MS,
    })
    for (let day = 0; day < start.days; day++) {
      yield* rc.start(start.cutoffAtUs(day))
      start.cutOff()
      onDay(day + 1)
    }
    // No end given: RunControl runs until nothing is pending, as kernel.run() does.
    yield* rc.start()
    return start.finish()
  })

/** A pilot world (startPilot) with its boundary per simulated day (pilotBoundary) and the hooks. */
export const pacePilot = (start: PilotStart, hooks: PilotBoundaryHooks = {}): Effect.Effect<PilotRunState> =>
  Effect.gen(function* () {
    const rc = yield* makeRunControl(start.state.world.kernel, {
      chunkEvents: PILOT_CHUNK_EVENTS,
      sliceMs: SLICE_MS,
      boundaryEveryUs: US_PER_DAY,
      onBoundary: pilotBoundary(start, hooks),
    })
    yield* rc.start(start.days * US_PER_DAY)
    return start.state
  })
