/**
 * Run control on the control plane (DESIGN.md §2): start, pause, resume, step, run-until, a speed
 * given as a real-time factor for live viewing, and progress (simulated time, events, events per
 * wall second). It drives the kernel in bounded chunks and yields to the event loop between them,
 * so commands from other fibers (the ws server, the CLI) and process signals take effect within
 * one chunk — never inside an event — and interrupting the fiber of `start` stops the run there.
 *
 * Boundaries: a run may ask for a callback at every multiple of `boundaryEveryUs` of simulated
 * time the kernel reaches (including 0 and the end, when the end is a multiple). The kernel is run
 * up to each boundary, the callback runs with the clock at the boundary, before any event at that
 * instant, and then the run goes on. Callbacks take samples (daily rows, the viewer's 2-hour
 * samples) and apply injected faults at simulated instants fixed by the run, not by wall time.
 * A callback that schedules nothing leaves the event sequence, and so the digest, unchanged.
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
  /**
   * Runs until `untilUs` (or until nothing is pending), honouring pause and speed. Interrupting
   * the fiber stops the run between two chunks, with every boundary up to there taken.
   */
  readonly start: (untilUs?: number) => Effect.Effect<Progress>
  readonly pause: Effect.Effect<void>
  readonly resume: Effect.Effect<void>
  /**
   * Processes up to `events` events now (meant for a paused run), stopping at the next boundary
   * (and taking it) and never passing the end; returns how many ran.
   */
  readonly step: (events: number) => Effect.Effect<number>
  /** Runs at full speed up to `untilUs`, ignoring the speed factor (and boundaries). */
  readonly runUntil: (untilUs: number) => Effect.Effect<number>
  /** Simulated seconds per wall second; `null` means as fast as possible. */
  readonly setSpeed: (factor: number | null) => Effect.Effect<void>
  readonly speed: Effect.Effect<number | null>
  readonly progress: Effect.Effect<Progress>
}

export interface RunControlOptions {
  /** Events per chunk between yields; bounds the latency of pause, speed changes and signals. */
  readonly chunkEvents?: number
  /** Wall milliseconds of simulation per chunk at most, whatever the event count. */
  readonly sliceMs?: number
  /** Wall milliseconds to sleep while paused or ahead of the paced schedule. */
  readonly frameMs?: number
  /**
   * The run's end when known at creation: the default of `start`, and the bound of `step` before
   * `start`'s loop has begun (a viewer may pause and step before the first chunk).
   */
  readonly untilUs?: number
  /** Simulated µs between boundaries; with `onBoundary`. */
  readonly boundaryEveryUs?: number
  /** Called at each boundary with the boundary's instant (the kernel's clock stands there). */
  readonly onBoundary?: (atUs: number) => void
}

export class RunControl extends Context.Service<RunControl, RunControlShape>()(
  "tsm-twin/sim/run/RunControl",
) {
  static readonly layer = (kernel: Kernel, options: RunControlOptions = {}) =>
    Layer.effect(RunControl, makeRunControl(kernel, options))
}

interface Boundaries {
  readonly everyUs: number
  readonly onBoundary: (atUs: number) => void
}

interface LoopState {
  state: RunState
  speed: number | null
  anchorWallMs: number
  anchorSimUs: number
  segmentEvents: number
  segmentStartMs: number
  /** The end of the current (or last) `start`; `step` never passes it. */
  untilUs: number
  /** The next boundary instant; +∞ without boundaries. */
  nextBoundaryUs: number
  readonly boundaries: Boundaries | null
  readonly chunkEvents: number
  readonly sliceMs: number
  readonly frameMs: number
}

/**
 * Events between two looks at the wall clock inside a chunk: an event may cost from a microsecond
 * (background users) to a millisecond (byte-level card work with real crypto), so the slice bound
 * is checked this often rather than once per boundary, whose event count grows with the scale.
 */
const CLOCK_CHECK_EVENTS = 1_000

/** Why a chunk returned: go on after a yield, or sleep a frame because the run is ahead of its pace. */
type ChunkEnd = "yield" | "ahead"

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

/** Takes every boundary the kernel's clock has reached (the clock never passes the next one). */
const takeBoundaries = (kernel: Kernel, st: LoopState): void => {
  const b = st.boundaries
  if (b === null) return
  while (kernel.nowUs >= st.nextBoundaryUs) {
    b.onBoundary(st.nextBoundaryUs)
    st.nextBoundaryUs += b.everyUs
  }
}

const finishedAt = (kernel: Kernel, untilUs: number): boolean =>
  kernel.nowUs >= untilUs || (untilUs > US_MAX && kernel.peek() === -1)

/**
 * One bounded chunk, synchronous: runs to the pace, the next boundary or the end, again and again,
 * until `chunkEvents` events or `sliceMs` of wall time — so small runs whose boundaries are a few
 * hundred events apart still visit the event loop only a few dozen times a second, and large ones
 * visit it at least every `sliceMs` plus the cost of CLOCK_CHECK_EVENTS events.
 */
const chunk = (kernel: Kernel, st: LoopState, clock: Clock.Clock): ChunkEnd => {
  const t0 = clock.currentTimeMillisUnsafe()
  let events = 0
  for (;;) {
    takeBoundaries(kernel, st)
    if (st.state !== "running" || finishedAt(kernel, st.untilUs)) return "yield"
    let targetUs = Math.min(st.untilUs, st.nextBoundaryUs)
    if (st.speed !== null) {
      const ms = clock.currentTimeMillisUnsafe()
      const paceUs = st.anchorSimUs + Math.floor((ms - st.anchorWallMs) * 1000 * st.speed)
      if (paceUs <= kernel.nowUs) return "ahead"
      targetUs = Math.min(targetUs, paceUs)
    }
    const ran = kernel.run(targetUs, Math.min(st.chunkEvents - events, CLOCK_CHECK_EVENTS))
    events += ran
    st.segmentEvents += ran
    if (events >= st.chunkEvents || clock.currentTimeMillisUnsafe() - t0 >= st.sliceMs) return "yield"
  }
}

const startLoop = (kernel: Kernel, st: LoopState, untilUs: number) =>
  Effect.gen(function* () {
    const clock = yield* Clock.Clock
    st.untilUs = untilUs
    st.segmentEvents = 0
    st.segmentStartMs = clock.currentTimeMillisUnsafe()
    yield* reanchor(kernel, st)
    if (st.state !== "paused") st.state = "running"
    takeBoundaries(kernel, st)
    while (!finishedAt(kernel, untilUs)) {
      if (st.state === "paused") yield* Effect.sleep(st.frameMs)
      else if (chunk(kernel, st, clock) === "ahead") yield* Effect.sleep(st.frameMs)
      yield* Effect.yieldNow
    }
    // A chunk that reached the end when its wall-time slice ran out returned before taking the
    // boundary at the end (the last day's rows, the final checks): take it now.
    takeBoundaries(kernel, st)
    st.state = "done"
    return yield* progressOf(kernel, st)
  })

/** Up to `events` events, stopping at the next boundary (and taking it), never past the end. */
const stepEvents = (kernel: Kernel, st: LoopState, events: number): number => {
  if (finishedAt(kernel, st.untilUs)) return 0
  const ran = kernel.run(Math.min(st.untilUs, st.nextBoundaryUs), events)
  takeBoundaries(kernel, st)
  return ran
}

const boundariesOf = (options: RunControlOptions): Boundaries | null => {
  const { boundaryEveryUs: everyUs, onBoundary } = options
  if (everyUs === undefined && onBoundary === undefined) return null
  if (everyUs === undefined || onBoundary === undefined)
    throw new RangeError("boundaryEveryUs and onBoundary go together")
  if (!(Number.isSafeInteger(everyUs) && everyUs > 0)) throw new RangeError(`boundaryEveryUs ${everyUs}`)
  return { everyUs, onBoundary }
}

export const makeRunControl = (
  kernel: Kernel,
  options: RunControlOptions = {},
): Effect.Effect<RunControlShape> =>
  Effect.sync(() => {
    const boundaries = boundariesOf(options)
    const st: LoopState = {
      state: "idle",
      speed: null,
      anchorWallMs: 0,
      anchorSimUs: 0,
      segmentEvents: 0,
      segmentStartMs: 0,
      untilUs: options.untilUs ?? US_MAX + 1,
      nextBoundaryUs:
        boundaries === null
          ? Number.POSITIVE_INFINITY
          : Math.ceil(kernel.nowUs / boundaries.everyUs) * boundaries.everyUs,
      boundaries,
      chunkEvents: options.chunkEvents ?? 100_000,
      sliceMs: options.sliceMs ?? 50,
      frameMs: options.frameMs ?? 50,
    }
    return RunControl.of({
      start: (untilUs = options.untilUs ?? US_MAX + 1) => startLoop(kernel, st, untilUs),
      // Pausing before `start` makes the run start paused (a viewer may pause before the first chunk).
      pause: Effect.sync(() => {
        if (st.state === "running" || st.state === "idle") st.state = "paused"
      }),
      resume: Effect.flatMap(reanchor(kernel, st), () =>
        Effect.sync(() => {
          if (st.state === "paused") st.state = "running"
        }),
      ),
      step: (events) => Effect.sync(() => stepEvents(kernel, st, events)),
      runUntil: (untilUs) => Effect.sync(() => kernel.run(untilUs)),
      setSpeed: (factor) =>
        Effect.flatMap(reanchor(kernel, st), () =>
          Effect.sync(() => {
            if (factor !== null && !(factor > 0)) throw new RangeError(`speed ${factor}`)
            st.speed = factor
          }),
        ),
      speed: Effect.sync(() => st.speed),
      progress: progressOf(kernel, st),
    })
  })
