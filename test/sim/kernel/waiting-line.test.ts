// Proves that both waiting lines serve live entries in their discipline's order (arrival; or
// priority, then arrival) for any mix of pushes, cancels and shifts, against a plain-array model,
// across ring growth, and that a served or cancelled handle never removes a later arrival.
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import type { EventHandle } from "../../../sim/kernel/heap.ts"
import { FifoLine, PriorityLine, type WaitingLine } from "../../../sim/kernel/waiting-line.ts"

type Op =
  | { readonly kind: "push"; readonly priority: number }
  | { readonly kind: "cancel"; readonly pick: number }
  | { readonly kind: "shift" }

const op: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({ kind: fc.constant("push" as const), priority: fc.integer({ min: -2, max: 2 }) }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("cancel" as const), pick: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("shift" as const) }) },
)

interface Entry {
  readonly arrival: number
  readonly priority: number
  readonly handle: EventHandle
}

const check = (line: WaitingLine, byPriority: boolean, ops: readonly Op[]): void => {
  let live: Entry[] = []
  const handles: EventHandle[] = []
  let arrival = 0
  const first = (): Entry => live.reduce((m, e) => (byPriority && e.priority < m.priority ? e : m))
  for (const o of ops) {
    if (o.kind === "push") {
      const handle = line.push(7, arrival, { arrival }, o.priority)
      live.push({ arrival: arrival++, priority: o.priority, handle })
      handles.push(handle)
    } else if (o.kind === "cancel" && handles.length > 0) {
      const handle = handles[o.pick % handles.length]!
      const isLive = live.some((e) => e.handle === handle)
      expect(line.cancel(handle)).toBe(isLive)
      live = live.filter((e) => e.handle !== handle)
    } else if (o.kind === "shift") {
      if (live.length === 0) {
        expect(line.shift()).toBe(false)
        continue
      }
      const expected = first()
      expect(line.shift()).toBe(true)
      expect([line.shiftedHandler, line.shiftedA0, line.shiftedRef]).toEqual([
        7,
        expected.arrival,
        { arrival: expected.arrival },
      ])
      live = live.filter((e) => e !== expected)
    }
    expect(line.size).toBe(live.length)
  }
}

describe("waiting lines", () => {
  it("FIFO serves live entries in arrival order, through growth and cancellations", () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 400 }), (ops) => check(new FifoLine(4), false, ops)),
      { numRuns: 300 },
    )
  })

  it("the priority line serves by priority, arrival order among equals", () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 300 }), (ops) => check(new PriorityLine(), true, ops)),
      { numRuns: 200 },
    )
  })

  it("rejects a ring capacity that is not a power of two", () => {
    expect(() => new FifoLine(6)).toThrow(RangeError)
  })
})
