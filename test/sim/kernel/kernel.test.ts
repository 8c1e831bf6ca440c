// Proves the kernel's contract: order by (time, priority, insertion), run(until) semantics,
// step, cancel, that an unhandled handler error stops the run naming the time and handler, and
// that continuations run right after their event, in order, ahead of the instant's other events.
import { describe, expect, it } from "vitest"
import { type Firable, Kernel, PRIORITY_URGENT } from "../../../sim/kernel/kernel.ts"
import { us } from "../../../sim/kernel/time.ts"

describe("Kernel", () => {
  it("runs events by time, then priority, then insertion order", () => {
    const k = new Kernel()
    const seen: number[] = []
    const note = k.register<undefined>("note", (a0) => seen.push(a0))
    k.schedule(10, note, 1, undefined)
    k.schedule(5, note, 2, undefined)
    k.schedule(10, note, 3, undefined, PRIORITY_URGENT)
    k.schedule(10, note, 4, undefined)
    k.run()
    expect(seen).toEqual([2, 3, 1, 4])
    expect(k.eventsProcessed).toBe(4)
  })

  it("runs events strictly before `until` and leaves the clock there", () => {
    const k = new Kernel()
    const seen: number[] = []
    const note = k.register<undefined>("note", () => seen.push(k.nowUs))
    k.schedule(10, note, 0, undefined)
    k.schedule(20, note, 0, undefined)
    expect(k.run(20)).toBe(1)
    expect(k.nowUs).toBe(20)
    expect(k.peek()).toBe(20)
    expect(k.step()).toBe(true)
    expect(k.step()).toBe(false)
    expect(seen).toEqual([10, 20])
    expect(() => k.run(5)).toThrow(RangeError)
  })

  it("cancels pending events and refuses to cancel twice", () => {
    const k = new Kernel()
    let ran = 0
    const h = k.register<undefined>("h", () => ran++)
    const a = k.schedule(1, h, 0, undefined)
    k.schedule(2, h, 0, undefined)
    expect(k.cancel(a)).toBe(true)
    expect(k.cancel(a)).toBe(false)
    expect(k.pending).toBe(1)
    k.run()
    expect(ran).toBe(1)
  })

  it("stops the run when a handler throws, naming the time and the handler", () => {
    const k = new Kernel()
    const boom = k.register<undefined>("boom", () => {
      throw new Error("kaput")
    })
    k.schedule(7, boom, 0, undefined)
    expect(() => k.run()).toThrow(/at=7µs handler=boom: Error: kaput/)
  })

  it("stop() returns from run after the current event", () => {
    const k = new Kernel()
    const h = k.register<undefined>("h", (a0) => {
      if (a0 === 2) k.stop()
    })
    for (let i = 1; i <= 4; i++) k.schedule(i, h, i, undefined)
    expect(k.run()).toBe(2)
    expect(k.nowUs).toBe(2)
  })

  it("rejects fractional or negative delays and instants in the past", () => {
    const k = new Kernel()
    const h = k.register<undefined>("h", () => {})
    expect(() => k.schedule(1.5, h, 0, undefined)).toThrow(RangeError)
    expect(() => k.schedule(-1, h, 0, undefined)).toThrow(RangeError)
    k.schedule(5, h, 0, undefined)
    k.run()
    expect(() => k.at(3, h, 0, undefined)).toThrow(RangeError)
    expect(() => us(0.5)).toThrow(RangeError)
  })

  it("runs continuations after their event, in order, before the instant's other events, uncounted", () => {
    const k = new Kernel()
    const seen: string[] = []
    const note = (label: string): Firable => ({ fire: (a0) => seen.push(`${label}${a0}@${k.nowUs}`) })
    const chained: Firable = {
      fire: () => {
        seen.push(`chained@${k.nowUs}`)
        k.continueWith(note("late"), 3)
      },
    }
    const h = k.register<undefined>("h", (a0) => {
      seen.push(`event${a0}@${k.nowUs}`)
      if (a0 === 1) {
        k.continueWith(note("c"), 1)
        k.continueWith(chained, 0)
        k.continueWith(note("c"), 2)
      }
    })
    k.schedule(5, h, 1, undefined)
    k.schedule(5, h, 2, undefined, PRIORITY_URGENT)
    k.schedule(5, h, 3, undefined)
    k.run()
    expect(seen).toEqual(["event2@5", "event1@5", "c1@5", "chained@5", "c2@5", "late3@5", "event3@5"])
    expect(k.eventsProcessed).toBe(3)
  })

  it("runs continuations asked for between runs first in the next run, and counts them as pending", () => {
    const k = new Kernel()
    const seen: number[] = []
    k.continueWith({ fire: (a0) => seen.push(a0) }, 7)
    expect(k.pending).toBe(1)
    expect(k.peek()).toBe(0)
    expect(k.step()).toBe(true)
    expect(seen).toEqual([7])
    expect(k.pending).toBe(0)
    expect(k.step()).toBe(false)
  })

  it("stops the run when a continuation throws, naming the time and the continuation", () => {
    const k = new Kernel()
    const h = k.register<undefined>("h", () =>
      k.continueWith(
        {
          fire: () => {
            throw new Error("kaput")
          },
        },
        0,
      ),
    )
    k.schedule(4, h, 0, undefined)
    expect(() => k.run()).toThrow(/at=4µs handler=kernel.continuation: Error: kaput/)
  })
})
