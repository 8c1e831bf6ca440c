/**
 * Proves the run-wide replay memory of the byte plane (cross-job-replays.ts) keeps a receiver's
 * window rule across jobs folded out of arrival order: a key accepted within 2·window before or
 * after is a replay, one further away is not; in arrival order it gives exactly the verdicts of
 * the real receiver's ReplayWindow (model/parties/messages/replay-window.ts), in any fold order the
 * count of a pairwise collision set that an independent pair count gives; its memory stays bounded
 * over a long run; a full receiver refuses; the horizon may not go back.
 */
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { ReplayWindow } from "../../../../../model/parties/messages/replay-window.ts"
import {
  CrossJobReplays,
  FoldedReplayWindow,
} from "../../../../../model/world/pilot/byte-level/cross-job-replays.ts"
import type { AcceptedEnvelope } from "../../../../../model/world/pilot/byte-level/envelope-chain.ts"

const W = 300_000_000

const env = (nonceHex: string, atUs: number, receiver = "mtps", sender = "gzt-tsm"): AcceptedEnvelope => ({
  receiver,
  sender,
  nonceHex,
  atUs,
})

describe("the replay memory across jobs", () => {
  it("refuses a key accepted within 2·window before or after, not one further away", () => {
    const later = new CrossJobReplays(W)
    expect(later.check([env("aa", 1_000_000_000)], 1_000_000_000)).toBeNull()
    // ReplayWindow's edge: remembered until arrival + 2w inclusive.
    expect(later.check([env("aa", 1_000_000_000 + 2 * W)], 1_000_000_000)).toEqual({
      index: 0,
      verdict: "replayed",
    })
    expect(later.check([env("aa", 1_000_000_000 + 2 * W + 1)], 1_000_000_000)).toBeNull()
    // Folded after a later arrival (the order's create-ssd came later): the same rule, backwards.
    const earlier = new CrossJobReplays(W)
    expect(earlier.check([env("bb", 5_000_000_000)], 3_000_000_000)).toBeNull()
    expect(earlier.check([env("bb", 5_000_000_000 - 2 * W - 1)], 3_000_000_000)).toBeNull()
    expect(earlier.check([env("bb", 5_000_000_000 - 2 * W)], 3_000_000_000)?.verdict).toBe("replayed")
    expect(earlier.refused).toEqual({ replayed: 1, overloaded: 0 })
  })

  it("keeps one window per receiver, keyed by (sender, nonce)", () => {
    const r = new CrossJobReplays(W)
    expect(r.check([env("cc", 0, "mtps", "gzt-tsm")], 0)).toBeNull()
    expect(r.check([env("cc", 1, "cmcc", "gzt-tsm")], 0)).toBeNull()
    expect(r.check([env("cc", 2, "mtps", "gyb-bank")], 0)).toBeNull()
    expect(r.check([env("dd", 3), env("cc", 3)], 0)).toEqual({ index: 1, verdict: "replayed" })
    // The chain stopped at the replayed hop: what came before it was delivered and is remembered.
    expect(r.check([env("dd", 4)], 0)?.verdict).toBe("replayed")
  })

  it("accepts arrivals that go back, where the receiver's own window refuses them", () => {
    const own = new ReplayWindow(W, 16)
    own.remember("x", 10)
    expect(() => own.remember("y", 5)).toThrow(/time went back/)
    const r = new CrossJobReplays(W)
    expect(r.check([env("x", 10)], 0)).toBeNull()
    expect(r.check([env("y", 5)], 0)).toBeNull()
    // But its horizon (no fold arrives before it) may not go back: a programmer error.
    r.check([env("z", 100)], 50)
    expect(() => r.check([env("w", 100)], 40)).toThrow(/horizon went back/)
  })

  it("refuses beyond its bound as the receiver's verifier does (overloaded)", () => {
    const r = new CrossJobReplays(W, 2)
    expect(r.check([env("01", 0), env("02", 0)], 0)).toBeNull()
    expect(r.check([env("03", 1)], 0)).toEqual({ index: 0, verdict: "overloaded" })
    // Once the first two can no longer be replayed they leave, and there is room again.
    expect(r.check([env("03", 2 * W + 1)], 2 * W + 1)).toBeNull()
  })

  it("stays bounded over a long run: what 2·window and the pending orders' lag hold", () => {
    const r = new CrossJobReplays(W)
    const jobGapUs = 10_000_000
    const lagUs = 3_600_000_000
    const jobs = 60_000
    // Each job: 6 envelopes arriving at its start, folded up to `lag` later (a deterministic
    // scramble), in fold order; the horizon is the oldest start still unfolded, or now.
    const foldAt = (j: number): number => j * jobGapUs + ((j * 7919) % 360) * 10_000_000
    const order = Array.from({ length: jobs }, (_, j) => j).sort((a, b) => foldAt(a) - foldAt(b) || a - b)
    const folded = new Uint8Array(jobs)
    let oldest = 0
    let refused = 0
    for (const j of order) {
      folded[j] = 1
      while (oldest < jobs && folded[oldest] === 1) oldest++
      const horizon = Math.min(foldAt(j), oldest * jobGapUs)
      const accepted = Array.from({ length: 6 }, (_, h) => env(`${j}.${h}`, j * jobGapUs, `r${h % 3}`))
      if (r.check(accepted, horizon) !== null) refused++
    }
    expect(refused).toBe(0)
    // Held: jobs folded over the last 2w + lag (the head waits that long at most), whose starts
    // span one more lag; 6 entries each.
    const bound = ((2 * W + 2 * lagUs) / jobGapUs + 1) * 6
    expect(r.entriesPeak).toBeGreaterThan(2 * (W / jobGapUs) * 6)
    expect(r.entriesPeak).toBeLessThanOrEqual(bound)
    expect(r.entries).toBeLessThanOrEqual(bound)
  })

  it("in arrival order gives exactly the receiver's ReplayWindow verdicts", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 7 }), fc.integer({ min: 0, max: 2 * W })), {
          maxLength: 60,
        }),
        (steps) => {
          const mine = new CrossJobReplays(W)
          const theirs = new ReplayWindow(W, 1 << 20)
          let now = 0
          for (const [key, gap] of steps) {
            now += gap
            // The verifier's order (envelope-verifier.ts): evict, has → replayed, else remember.
            theirs.evict(now)
            const replayed = theirs.has(`s/${key}`)
            if (!replayed) theirs.remember(`s/${key}`, now)
            const verdict = mine.check([env(String(key), now, "r", "s")], now)
            expect(verdict === null ? "accepted" : verdict.verdict).toBe(replayed ? "replayed" : "accepted")
          }
        },
      ),
    )
  })

  it("in any fold order counts a pairwise collision as an independent pair count does", () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 0, max: 40 }), { minLength: 1, maxLength: 20 }),
        fc.array(fc.integer({ min: 0, max: 4 * W }), { minLength: 40, maxLength: 40 }),
        fc.array(fc.integer({ min: 0, max: 4 * W }), { minLength: 40, maxLength: 40 }),
        fc.infiniteStream(fc.integer({ min: 0, max: 1000 })),
        (keys, first, second, scramble) => {
          // Each key arrives once or twice (keys ≥ 20 once); arrivals are folded in a scrambled order.
          const arrivals = keys.flatMap((k) =>
            k < 20
              ? [
                  { k, at: first[k]! },
                  { k, at: second[k]! },
                ]
              : [{ k, at: first[k]! }],
          )
          const expected = keys.filter((k) => k < 20 && Math.abs(first[k]! - second[k]!) <= 2 * W).length
          const pending = arrivals.map((a, i) => ({ ...a, i, rank: scramble.next().value as number }))
          const foldOrder = [...pending].sort((a, b) => a.rank - b.rank || a.i - b.i)
          const left = new Set(pending.map((p) => p.i))
          const r = new CrossJobReplays(W)
          let hits = 0
          for (const p of foldOrder) {
            left.delete(p.i)
            const horizon = Math.min(...[...left].map((i) => pending[i]!.at), p.at)
            if (r.check([env(String(p.k), p.at)], horizon) !== null) hits++
          }
          expect(hits).toBe(expected)
        },
      ),
    )
  })

  it("FoldedReplayWindow forgets only entries below the horizon's reach", () => {
    const w = new FoldedReplayWindow(W, 8)
    w.remember("k", 1_000)
    w.evict(1_000 + 2 * W)
    expect(w.has("k", 1_000 + 2 * W)).toBe(true)
    w.evict(1_001 + 2 * W)
    expect(w.size).toBe(0)
    expect(w.has("k", 1_000)).toBe(false)
  })
})
