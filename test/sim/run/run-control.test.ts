// Proves run control: a full-speed run reaches its end, a paced run follows the (test) wall clock
// at the chosen real-time factor, pause freezes simulated time, resume and step continue it.
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
