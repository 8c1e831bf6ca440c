/**
 * Run control on the control plane (DESIGN.md §2): start, pause, resume, step, run-until, a speed
 * given as a real-time factor for live viewing, and progress (simulated time, events, events per
 * wall second). It drives the kernel in bounded chunks and yields between them, so commands from
 * other fibers (the ws server, the CLI) take effect within one chunk — never inside an event.
 *
 * Wall time is read only through Effect's `Clock` service (`Clock.currentTimeMillis`,
 * `Effect.sleep`): the live clock comes from the Effect runtime outside sim/, tests provide
 * `TestClock`, and the simulation itself never sees wall time, so pacing cannot change results.
 */
import { Clock, Context, Effect, Layer } from "effect"
import type { Kernel } from "../kernel/kernel.ts"
import { US_MAX } from "../kernel/time.ts"

export type RunState = "idle" | "running" | "paused" | "done"

export interface Progress {
  readonly state: RunState
  readonly simulatedUs: number
  readonly events: number
  /** Events per wall-clock second over the current run segment. */
  readonly eventsPerSecond: number
}

export interface RunControlShape {
  /** Runs until `untilUs` (or until nothing is pending), honouring pause and speed. */
  readonly start: (untilUs?: number) => Effect.Effect<Progress>
  readonly pause: Effect.Effect<void>
  readonly resume: Effect.Effect<void>
  /** Processes up to `events` events now (meant for a paused run); returns how many ran. */
  readonly step: (events: number) => Effect.Effect<number>
  /** Runs at full speed up to `untilUs`, ignoring the speed factor. */
  readonly runUntil: (untilUs: number) => Effect.Effect<number>
  /** Simulated seconds per wall second; `null` means as fast as possible. */
  readonly setSpeed: (factor: number | null) => Effect.Effect<void>
  readonly progress: Effect.Effect<Progress>
}

export interface RunControlOptions {
  /** Events per chunk between yields; bounds the latency of pause and speed changes. */
  readonly chunkEvents?: number
  /** Wall milliseconds to sleep while paused or ahead of the paced schedule. */
  readonly frameMs?: number
}

export class RunControl extends Context.Service<RunControl, RunControlShape>()(
  "tsm-twin/sim/run/RunControl",
) {
  static readonly layer = (kernel: Kernel, options: RunControlOptions = {}) =>
    Layer.effect(RunControl, makeRunControl(kernel, options))
}

interface LoopState {
  state: RunState
  speed: number | null
  anchorWallMs: number
  anchorSimUs: number
  segmentEvents: number
  segmentStartMs: number
  readonly chunkEvents: number
  readonly frameMs: number
}

const reanchor = (kernel: Kernel, st: LoopState) =>
  Effect.map(Clock.currentTimeMillis, (ms) => {
    st.anchorWallMs = ms
    st.anchorSimUs = kernel.nowUs
  })

const progressOf = (kernel: Kernel, st: LoopState) =>
  Effect.map(Clock.currentTimeMillis, (ms): Progress => {
    const seconds = (ms - st.segmentStartMs) / 1000
    return {
      state: st.state,
      simulatedUs: kernel.nowUs,
      events: kernel.eventsProcessed,
      eventsPerSecond: seconds > 0 ? st.segmentEvents / seconds : 0,
    }
  })

/** One bounded chunk: as far as the pace allows, or a chunk of events at full speed. */
const chunk = (kernel: Kernel, st: LoopState, untilUs: number) =>
  Effect.gen(function* () {
    if (st.speed === null) {
      st.segmentEvents += kernel.run(untilUs, st.chunkEvents)
      return
    }
    const ms = yield* Clock.currentTimeMillis
    const paceUs = st.anchorSimUs + Math.floor((ms - st.anchorWallMs) * 1000 * st.speed)
    const targetUs = Math.min(untilUs, Math.max(kernel.nowUs, paceUs))
    if (targetUs > kernel.nowUs) st.segmentEvents += kernel.run(targetUs, st.chunkEvents)
    if (kernel.nowUs < untilUs && kernel.nowUs >= paceUs) yield* Effect.sleep(st.frameMs)
  })

const startLoop = (kernel: Kernel, st: LoopState, untilUs: number) =>
  Effect.gen(function* () {
    const finished = () => kernel.nowUs >= untilUs || (untilUs > US_MAX && kernel.peek() === -1)
    st.segmentEvents = 0
    st.segmentStartMs = yield* Clock.currentTimeMillis
    yield* reanchor(kernel, st)
    if (st.state !== "paused") st.state = "running"
    while (!finished()) {
      if (st.state === "paused") yield* Effect.sleep(st.frameMs)
      else yield* chunk(kernel, st, untilUs)
      yield* Effect.yieldNow
    }
    st.state = "done"
    return yield* progressOf(kernel, st)
  })

export const makeRunControl = (
  kernel: Kernel,
  options: RunControlOptions = {},
): Effect.Effect<RunControlShape> =>
  Effect.sync(() => {
    const st: LoopState = {
      state: "idle",
      speed: null,
      anchorWallMs: 0,
      anchorSimUs: 0,
      segmentEvents: 0,
      segmentStartMs: 0,
      chunkEvents: options.chunkEvents ?? 100_000,
      frameMs: options.frameMs ?? 50,
    }
    return RunControl.of({
      start: (untilUs = US_MAX + 1) => startLoop(kernel, st, untilUs),
      pause: Effect.sync(() => {
        if (st.state === "running") st.state = "paused"
      }),
      resume: Effect.flatMap(reanchor(kernel, st), () =>
        Effect.sync(() => {
          if (st.state === "paused") st.state = "running"
        }),
      ),
      step: (events) => Effect.sync(() => kernel.run(US_MAX + 1, events)),
      runUntil: (untilUs) => Effect.sync(() => kernel.run(untilUs)),
      setSpeed: (factor) =>
        Effect.flatMap(reanchor(kernel, st), () =>
          Effect.sync(() => {
            if (factor !== null && !(factor > 0)) throw new RangeError(`speed ${factor}`)
            st.speed = factor
          }),
        ),
      progress: progressOf(kernel, st),
    })
  })
