// Proves that the event heap pops live events in (time, priority, insertion) order for any mix of
// schedules, cancels and pops, against a plain sorted-list model.
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { type EventHandle, EventHeap } from "../../../sim/kernel/heap.ts"

type Op =
  | { readonly kind: "push"; readonly delta: number; readonly priority: number }
  | { readonly kind: "cancel"; readonly pick: number }
  | { readonly kind: "pop" }

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    kind: fc.constant("push" as const),
    delta: fc.nat(20),
    priority: fc.integer({ min: -3, max: 3 }),
  }),
  fc.record({ kind: fc.constant("cancel" as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant("pop" as const) }),
)

interface Entry {
  readonly time: number
  readonly priority: number
  readonly seq: number
  readonly handle: EventHandle
}

const ranksBefore = (a: Entry, b: Entry): boolean =>
  a.time !== b.time ? a.time < b.time : a.priority !== b.priority ? a.priority < b.priority : a.seq < b.seq

describe("EventHeap", () => {
  it("pops exactly the model's next live entry, in non-decreasing (time, priority, sequence) order", () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 300 }), (ops) => {
        const heap = new EventHeap(4)
        let live: Entry[] = []
        const handles: EventHandle[] = []
        let now = 0
        let seq = 0
        let last: Entry | null = null
        const popOne = () => {
          const slot = heap.pop()
          if (live.length === 0) return expect(slot).toBe(-1)
          const expected = live.reduce((m, e) => (ranksBefore(e, m) ? e : m))
          expect(heap.a0[slot]).toBe(expected.seq)
          expect(heap.lastTimeUs).toBe(expected.time)
          if (last !== null) expect(ranksBefore(expected, last)).toBe(false)
          last = expected
          now = expected.time
          live = live.filter((e) => e !== expected)
          heap.release(slot)
        }
        for (const o of ops) {
          if (o.kind === "push") {
            const time = now + o.delta
            const handle = heap.push(time, o.priority, 7, seq, null)
            live.push({ time, priority: o.priority, seq: seq++, handle })
            handles.push(handle)
            // An event scheduled now may rank before the last one popped (same instant, more
            // urgent), so order is compared only between pops with no schedule in between.
            last = null
          } else if (o.kind === "cancel" && handles.length > 0) {
            const handle = handles[o.pick % handles.length]!
            const isLive = live.some((e) => e.handle === handle)
            expect(heap.cancel(handle)).toBe(isLive)
            live = live.filter((e) => e.handle !== handle)
          } else if (o.kind === "pop") popOne()
          expect(heap.size).toBe(live.length)
        }
        while (live.length > 0) popOne()
        expect(heap.pop()).toBe(-1)
      }),
      { numRuns: 300 },
    )
  })

  it("refuses a stale handle after its slot was reused", () => {
    const heap = new EventHeap(4)
    const first = heap.push(5, 0, 1, 0, null)
    heap.release(heap.pop())
    const second = heap.push(6, 0, 1, 1, null)
    expect(heap.cancel(first)).toBe(false)
    expect(heap.cancel(second)).toBe(true)
    expect(heap.cancel(second)).toBe(false)
    expect(heap.pop()).toBe(-1)
  })

  it("rejects priorities outside its packed range", () => {
    const heap = new EventHeap(4)
    expect(() => heap.push(0, 5000, 0, 0, null)).toThrow(RangeError)
  })
})
