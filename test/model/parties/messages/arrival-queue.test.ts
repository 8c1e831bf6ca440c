// Proves the replay memories' arrival queue lets entries go exactly when a + 2w falls before the
// horizon, in the order they came, telling each one leaving — across the compaction of its dead
// prefix (past 1,024 entries gone), after which it still holds and reports the same entries.
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { ArrivalQueue } from "../../../../model/parties/messages/arrival-queue.ts"

describe("arrival queue", () => {
  it("evicts in arrival order exactly the entries with a + 2w < horizon, through compactions", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 50 }), { minLength: 1, maxLength: 4000 }),
        fc.integer({ min: 0, max: 100 }),
        // Each step moves the horizon on by up to 30 % of the whole span (per mille).
        fc.array(fc.integer({ min: 0, max: 300 }), { maxLength: 40 }),
        (gaps, windowUs, steps) => {
          const q = new ArrivalQueue(windowUs)
          const all: Array<[string, number]> = []
          let t = 0
          gaps.forEach((gap, i) => {
            t += gap
            all.push([`k${i}`, t])
            q.push(`k${i}`, t)
          })
          const left: Array<[string, number]> = []
          let horizon = 0
          const end = t + 2 * windowUs + 1
          for (const step of [...steps, 1000]) {
            horizon = Math.min(end, horizon + Math.ceil((step * end) / 1000))
            q.evict(horizon, (key, atUs) => left.push([key, atUs]))
            const gone = all.filter(([, a]) => a + 2 * windowUs < horizon)
            expect(left).toEqual(gone)
            expect(q.size).toBe(all.length - gone.length)
          }
          expect(q.size).toBe(0)
        },
      ),
      { numRuns: 60 },
    )
  })

  it("keeps the entries left across a compaction, and reports the newest arrival until the arrays empty", () => {
    const q = new ArrivalQueue(10)
    expect(q.lastUs).toBeUndefined()
    for (let i = 0; i < 3000; i++) q.push(`k${i}`, i)
    q.evict(1000, () => {})
    expect(q.lastUs).toBe(2999)
    // Past 1,024 gone and half the arrays: compacted, with the 920 newest still held, in order.
    q.evict(2100, () => {})
    expect(q.size).toBe(920)
    const left: string[] = []
    q.evict(5000, (key) => left.push(key))
    expect(left).toEqual(Array.from({ length: 920 }, (_, i) => `k${2080 + i}`))
    expect(q.size).toBe(0)
    // All gone but not compacted (920 ≤ 1,024): the newest arrival is still known.
    expect(q.lastUs).toBe(2999)
    // Gone and compacted: none.
    for (let i = 0; i < 2000; i++) q.push(`m${i}`, 3000 + i)
    q.evict(10_000, () => {})
    expect(q.lastUs).toBeUndefined()
    q.push("a", 7)
    q.clear()
    expect(q.lastUs).toBeUndefined()
    expect(() => new ArrivalQueue(-1)).toThrow(RangeError)
  })
})
