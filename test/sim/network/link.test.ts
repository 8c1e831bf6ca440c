// Proves the link's contract: a link in an outage (or across a partition) delivers nothing, a
// plain link is FIFO, and loss, duplication and capacity behave as configured.
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { Kernel } from "../../../sim/kernel/kernel.ts"
import { Link, type LinkOptions } from "../../../sim/network/link.ts"
import { Partitions } from "../../../sim/network/partitions.ts"
import { uniformInt } from "../../../sim/rng/distributions.ts"
import { streamOf } from "../../../sim/rng/stream.ts"

const base: LinkOptions = {
  name: "a->b",
  from: "a",
  to: "b",
  latencyUs: (s) => uniformInt(s, 100, 5_000),
  inFlightMax: 1_000,
}

describe("Link", () => {
  it("delivers nothing at any instant inside an outage window", () => {
    fc.assert(
      fc.property(
        fc.nat(1000),
        fc.array(fc.tuple(fc.nat(50_000), fc.integer({ min: 1, max: 20_000 })), { maxLength: 4 }),
        fc.array(fc.nat(60_000), { maxLength: 80 }),
        (seed, windows, sendTimes) => {
          const k = new Kernel()
          const outages = windows.map(([startUs, len]) => ({ startUs, endUs: startUs + len }))
          const deliveredAt: number[] = []
          const link = new Link<number>(k, streamOf(seed, "link"), { ...base, outages }, () =>
            deliveredAt.push(k.nowUs),
          )
          const send = k.register<undefined>("send", (i) => link.send(i))
          for (const [i, t] of sendTimes.entries()) k.at(t, send, i, undefined)
          k.run()
          for (const t of deliveredAt) {
            expect(outages.some((w) => t >= w.startUs && t < w.endUs)).toBe(false)
          }
          const c = link.counts
          expect(c.delivered + c.droppedOut + c.lost).toBe(sendTimes.length)
        },
      ),
      { numRuns: 150 },
    )
  })

  it("is FIFO without reordering, and reorders when asked", () => {
    const run = (reorder: boolean) => {
      const k = new Kernel()
      const got: number[] = []
      const options: LinkOptions = reorder
        ? { ...base, reorder: { numerator: 1, denominator: 2 }, reorderDelayUsMax: 20_000 }
        : base
      const link = new Link<number>(k, streamOf(1, "link"), options, (m) => got.push(m))
      const send = k.register<undefined>("send", (i) => link.send(i))
      for (let i = 0; i < 200; i++) k.at(i * 50, send, i, undefined)
      k.run()
      return got
    }
    const fifo = run(false)
    expect(fifo).toEqual([...fifo].sort((a, b) => a - b))
    expect(fifo).toHaveLength(200)
    const shuffled = run(true)
    expect(shuffled).not.toEqual([...shuffled].sort((a, b) => a - b))
  })

  it("loses and duplicates at the configured ratios and refuses beyond its capacity", () => {
    const k = new Kernel()
    let delivered = 0
    const link = new Link<number>(
      k,
      streamOf(2, "link"),
      { ...base, loss: { numerator: 1, denominator: 10 }, duplication: { numerator: 1, denominator: 5 } },
      () => delivered++,
    )
    const send = k.register<undefined>("send", (i) => link.send(i))
    for (let i = 0; i < 20_000; i++) k.at(i * 10, send, i, undefined)
    k.run()
    expect(Math.abs(link.counts.lost / 20_000 - 0.1)).toBeLessThan(0.01)
    expect(Math.abs(link.counts.duplicated / (20_000 - link.counts.lost) - 0.2)).toBeLessThan(0.015)
    expect(delivered).toBe(20_000 - link.counts.lost + link.counts.duplicated)
    const small = new Link<number>(new Kernel(), streamOf(3, "l"), { ...base, inFlightMax: 2 }, () => {})
    expect([small.send(1), small.send(2), small.send(3)]).toEqual(["sent", "sent", "full"])
  })

  it("drops messages across a partition, including those in flight when it starts", () => {
    const k = new Kernel()
    const partitions = new Partitions()
    partitions.cut({ sideA: ["a"], sideB: ["b"], startUs: 1_000, endUs: 100_000 })
    const got: number[] = []
    const link = new Link<number>(
      k,
      streamOf(4, "l"),
      { ...base, latencyUs: () => 2_000 },
      (m) => got.push(m),
      partitions,
    )
    const send = k.register<undefined>("send", (i) => link.send(i))
    k.at(0, send, 1, undefined)
    k.at(50_000, send, 2, undefined)
    k.at(200_000, send, 3, undefined)
    k.run()
    expect(got).toEqual([3])
  })
})
