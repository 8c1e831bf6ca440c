// Proves run control: a full-speed run reaches its end, a paced run follows the (test) wall clock
// at the chosen real-time factor, pause freezes simulated time, resume and step continue it;
// boundaries are taken at every multiple of their period with the clock there and before that
// instant's events (also when stepping, which stops at the next one); an interrupted run stops.
import { Effect, Fiber } from "effect"
import { TestClock } from "effect/testing"
import { describe, expect, it } from "vitest"
import { Kernel } from "../../../sim/kernel/kernel.ts"
import { US_PER_SECOND } from "../../../sim/kernel/time.ts"
import { RunControl } from "../../../sim/run/run-control.ts"

/** A kernel with one event per simulated second, forever. */
const ticking = (): Kernel => {
  const k = new Kernel()
  const tick = k.register<undefined>("tick", () => k.schedule(US_PER_SECOND, tick, 0, undefined))
  k.schedule(US_PER_SECOND, tick, 0, undefined)
  return k
}

const runTest = <A>(kernel: Kernel, body: Effect.Effect<A, never, RunControl>) =>
  Effect.runPromise(
    body.pipe(
      Effect.provide(RunControl.layer(kernel, { frameMs: 10, chunkEvents: 5 })),
      Effect.provide(TestClock.layer()),
    ),
  )

describe("RunControl", () => {
  it("runs at full speed to the end and reports progress", async () => {
    const kernel = ticking()
    const p = await runTest(
      kernel,
      Effect.gen(function* () {
        const rc = yield* RunControl
        return yield* rc.start(100 * US_PER_SECOND)
      }),
    )
    expect(p.state).toBe("done")
    expect(p.simulatedUs).toBe(100 * US_PER_SECOND)
    expect(p.events).toBe(99)
  })

  it("paces by the real-time factor, freezes on pause, continues on resume and step", async () => {
    const kernel = ticking()
    const seen = await runTest(
      kernel,
      Effect.gen(function* () {
        const rc = yield* RunControl
        yield* rc.setSpeed(2)
        const fiber = yield* Effect.forkChild(rc.start(60 * US_PER_SECOND))
        yield* TestClock.adjust(5_000)
        const afterFive = kernel.nowUs
        yield* rc.pause
        yield* TestClock.adjust(5_000)
        const whilePaused = kernel.nowUs
        yield* rc.step(3)
        const afterStep = kernel.nowUs
        yield* rc.resume
        yield* rc.setSpeed(null)
        yield* TestClock.adjust(100)
        const done = yield* Fiber.join(fiber)
        return { afterFive, whilePaused, afterStep, done }
      }),
    )
    expect(Math.abs(seen.afterFive - 10 * US_PER_SECOND)).toBeLessThanOrEqual(US_PER_SECOND)
    expect(seen.whilePaused).toBe(seen.afterFive)
    expect(seen.afterStep).toBeGreaterThan(seen.whilePaused)
    expect(seen.done.simulatedUs).toBe(60 * US_PER_SECOND)
  })
})

describe("RunControl boundaries", () => {
  /** Where each boundary was taken and how many events had run by then. */
  const withBoundaries = (everyUs: number) => {
    const kernel = ticking()
    const seen: Array<{ atUs: number; nowUs: number; events: number }> = []
    const layer = RunControl.layer(kernel, {
      frameMs: 10,
      chunkEvents: 7,
      boundaryEveryUs: everyUs,
      onBoundary: (atUs) => seen.push({ atUs, nowUs: kernel.nowUs, events: kernel.eventsProcessed }),
    })
    return { kernel, seen, layer }
  }

  it("calls back at every multiple of the period, with the clock there and before its events", async () => {
    const { kernel, seen, layer } = withBoundaries(10 * US_PER_SECOND)
    await Effect.runPromise(
      Effect.gen(function* () {
        const rc = yield* RunControl
        return yield* rc.start(100 * US_PER_SECOND)
      }).pipe(Effect.provide(layer), Effect.provide(TestClock.layer())),
    )
    expect(seen.map((b) => b.atUs)).toEqual(Array.from({ length: 11 }, (_, i) => i * 10 * US_PER_SECOND))
    for (const b of seen) expect(b.nowUs).toBe(b.atUs)
    // One tick per second from t = 1 s: the tick at t = 10 s runs after the boundary at 10 s.
    expect(seen.map((b) => b.events)).toEqual(seen.map((b) => Math.max(0, b.atUs / US_PER_SECOND - 1)))
    expect(kernel.eventsProcessed).toBe(99)
  })

  it("takes the boundary at the end also when the last chunk's wall-time slice runs out there", async () => {
    const kernel = ticking()
    const seen: number[] = []
    // sliceMs 0: every chunk yields after its first run, so the one that reaches the end yields
    // there before its loop comes back to take boundaries.
    const layer = RunControl.layer(kernel, {
      frameMs: 10,
      chunkEvents: 1000,
      sliceMs: 0,
      boundaryEveryUs: 10 * US_PER_SECOND,
      onBoundary: (atUs) => seen.push(atUs),
    })
    await Effect.runPromise(
      Effect.gen(function* () {
        const rc = yield* RunControl
        return yield* rc.start(30 * US_PER_SECOND)
      }).pipe(Effect.provide(layer), Effect.provide(TestClock.layer())),
    )
    expect(seen).toEqual([0, 10, 20, 30].map((s) => s * US_PER_SECOND))
  })

  it("steps a paused run to at most the next boundary, taking it, and never past the end", async () => {
    const { kernel, seen, layer } = withBoundaries(5 * US_PER_SECOND)
    await Effect.runPromise(
      Effect.gen(function* () {
        const rc = yield* RunControl
        yield* rc.pause
        const fiber = yield* Effect.forkChild(rc.start(20 * US_PER_SECOND))
        yield* TestClock.adjust(100)
        expect(kernel.nowUs).toBe(0)
        // From 0 the next boundary is at 5 s: ticks at 1-4 s run, then the boundary is taken.
        expect(yield* rc.step(12)).toBe(4)
        expect(seen.map((b) => b.atUs)).toEqual([0, 5].map((s) => s * US_PER_SECOND))
        expect(yield* rc.step(2)).toBe(2)
        expect(kernel.nowUs).toBe(6 * US_PER_SECOND)
        for (let i = 0; i < 10; i++) yield* rc.step(1000)
        expect(kernel.nowUs).toBe(20 * US_PER_SECOND)
        expect(kernel.eventsProcessed).toBe(19)
        yield* TestClock.adjust(100)
        const done = yield* Fiber.join(fiber)
        expect(done.state).toBe("done")
      }).pipe(Effect.provide(layer), Effect.provide(TestClock.layer())),
    )
    expect(seen.map((b) => b.atUs)).toEqual([0, 5, 10, 15, 20].map((s) => s * US_PER_SECOND))
  })

  it("stops between chunks when its fiber is interrupted, boundaries up to there taken", async () => {
    const { kernel, seen, layer } = withBoundaries(US_PER_SECOND)
    await Effect.runPromise(
      Effect.gen(function* () {
        const rc = yield* RunControl
        yield* rc.setSpeed(1)
        const fiber = yield* Effect.forkChild(rc.start(1000 * US_PER_SECOND))
        yield* TestClock.adjust(30_000)
        yield* Fiber.interrupt(fiber)
        const at = kernel.nowUs
        yield* TestClock.adjust(30_000)
        expect(kernel.nowUs).toBe(at)
      }).pipe(Effect.provide(layer), Effect.provide(TestClock.layer())),
    )
    expect(kernel.nowUs).toBeGreaterThanOrEqual(29 * US_PER_SECOND)
    expect(kernel.nowUs).toBeLessThanOrEqual(31 * US_PER_SECOND)
    expect(seen.at(-1)!.atUs).toBe(Math.floor(kernel.nowUs / US_PER_SECOND) * US_PER_SECOND)
  })
})
