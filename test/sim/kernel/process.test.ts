// Proves generator processes: timeouts, waiting for events and other processes, all-of/any-of,
// interrupts (with the abandoned wait ignored), failures that stop the run unless handled, and
// processes that end unwatched (no wake-up event) still handing their result to a later waiter.
import { describe, expect, it } from "vitest"
import { allOf, anyOf } from "../../../sim/kernel/condition.ts"
import { SimEvent, timeout } from "../../../sim/kernel/event.ts"
import { Kernel } from "../../../sim/kernel/kernel.ts"
import { type Interrupt, spawn } from "../../../sim/kernel/process.ts"

describe("processes", () => {
  it("wait for timeouts, events and other processes' results", () => {
    const k = new Kernel()
    const log: string[] = []
    const signal = new SimEvent<string>(k)
    const child = spawn(
      k,
      (function* () {
        yield 5
        return 42
      })(),
    )
    spawn(
      k,
      (function* () {
        const v = yield child
        log.push(`child ${v} at ${k.nowUs}`)
        const s = yield signal
        log.push(`signal ${s} at ${k.nowUs}`)
      })(),
    )
    signal.succeed("go", 9)
    k.run()
    expect(log).toEqual(["child 42 at 5", "signal go at 9"])
  })

  it("all-of waits for every event, any-of for the first", () => {
    const k = new Kernel()
    const out: unknown[] = []
    spawn(
      k,
      (function* () {
        out.push(yield allOf(k, [timeout(k, 3, "a"), timeout(k, 7, "b")]), k.nowUs)
        out.push(yield anyOf(k, [timeout(k, 4, "slow"), timeout(k, 2, "fast")]), k.nowUs)
      })(),
    )
    k.run()
    expect(out).toEqual([["a", "b"], 7, { index: 1, value: "fast" }, 9])
  })

  it("interrupt throws at the current yield and the abandoned timeout never resumes it", () => {
    const k = new Kernel()
    const log: string[] = []
    const worker = spawn(
      k,
      (function* () {
        try {
          yield 100
          log.push("finished work")
        } catch (e) {
          log.push(`interrupted by ${(e as Interrupt).interruptCause} at ${k.nowUs}`)
        }
        yield 10
        log.push(`done at ${k.nowUs}`)
      })(),
    )
    spawn(
      k,
      (function* () {
        yield 30
        worker.interrupt("boss")
      })(),
    )
    k.run()
    expect(log).toEqual(["interrupted by boss at 30", "done at 40"])
    expect(worker.alive).toBe(false)
  })

  it("a failure nobody handles stops the run; a handled one does not", () => {
    const k = new Kernel()
    spawn(
      k,
      (function* () {
        yield 1
        throw new Error("unhandled")
      })(),
    )
    expect(() => k.run()).toThrow(/unhandled/)
    const k2 = new Kernel()
    const failing = spawn(
      k2,
      (function* () {
        yield 1
        throw new Error("caught")
      })(),
    )
    let caught = ""
    spawn(
      k2,
      (function* () {
        try {
          yield failing
        } catch (e) {
          caught = (e as Error).message
        }
      })(),
    )
    k2.run()
    expect(caught).toBe("caught")
  })

  it("rejects yielding something that is not a number or an event", () => {
    const k = new Kernel()
    spawn(
      k,
      (function* () {
        yield "nonsense" as unknown as number
      })(),
    )
    expect(() => k.run()).toThrow(/yielded nonsense/)
  })

  it("ends an unwatched process without a wake-up event, and hands its result to a waiter that comes later", () => {
    const k = new Kernel()
    const child = spawn(
      k,
      (function* () {
        yield 5
        return "done"
      })(),
    )
    k.run(6)
    // The timeout is the one event: the start is a continuation of the run's first instant, and
    // the end, with nobody waiting, schedules none.
    expect(k.eventsProcessed).toBe(1)
    expect(child.processed).toBe(true)
    expect(child.alive).toBe(false)
    const seen: unknown[] = []
    spawn(
      k,
      (function* () {
        seen.push(yield child, k.nowUs)
      })(),
    )
    k.run()
    expect(seen).toEqual(["done", 6])
  })

  it("still wakes a waiter that was there before the end through the event", () => {
    const k = new Kernel()
    const child = spawn(
      k,
      (function* () {
        yield 3
        return 7
      })(),
    )
    const seen: unknown[] = []
    spawn(
      k,
      (function* () {
        seen.push(yield child, k.nowUs)
      })(),
    )
    k.run()
    expect(seen).toEqual([7, 3])
  })
})
