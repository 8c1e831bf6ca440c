// Proves the server pool's heap picks exactly the server a scan would (the first to free, the
// lowest index among equals) under any sequence of requests, outages and degradations, so every
// completion instant, wait, refusal and timeout equals the Lindley recursion's by a plain scan;
// and that its one-pass load (busy servers, queued requests) equals the load by separate scans.
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { ServerPool } from "../../../../model/world/pilot/server-pool.ts"

/** The pool as it was specified: scan the active servers for the first to free. */
class ScanPool {
  readonly freeUs: number[]
  served = 0
  busyUs = 0
  down = 0
  degraded: number | null = null
  constructor(readonly servers: number) {
    this.freeUs = Array.from({ length: servers }, () => 0)
  }
  reserve(arrivalUs: number, serviceUs: number, timeoutUs: number): number {
    const active = this.down > 0 ? 0 : Math.min(this.servers, this.degraded ?? this.servers)
    if (active === 0) return -1
    let best = 0
    for (let i = 1; i < active; i++) if (this.freeUs[i]! < this.freeUs[best]!) best = i
    const startUs = Math.max(arrivalUs, this.freeUs[best]!)
    if (startUs - arrivalUs > timeoutUs) return -1
    this.freeUs[best] = startUs + serviceUs
    this.served++
    this.busyUs += serviceUs
    return startUs + serviceUs
  }
}

/**
 * The load as first specified, by separate scans: busy servers, the backlog past now, and the
 * queue as the backlog over the mean service time less the servers busy (never negative).
 */
const scanLoad = (scan: ScanPool, now: number) => {
  const busy = scan.freeUs.filter((f) => f > now).length
  if (scan.served === 0) return { busy, queued: 0 }
  const backlogUs = scan.freeUs.reduce((n, f) => n + Math.max(0, f - now), 0)
  return { busy, queued: Math.max(0, Math.round(backlogUs / (scan.busyUs / scan.served)) - busy) }
}

type Step =
  | { kind: "request"; gapUs: number; serviceUs: number; timeoutUs: number }
  | { kind: "down"; down: boolean }
  | { kind: "degrade"; capacity: number | null }

const step: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 12,
    arbitrary: fc.record({
      kind: fc.constant("request" as const),
      // Small gaps and services with repeats, so equal free instants (ties) are common.
      gapUs: fc.integer({ min: 0, max: 30 }),
      serviceUs: fc.integer({ min: 0, max: 120 }),
      timeoutUs: fc.integer({ min: 0, max: 200 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("down" as const), down: fc.boolean() }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant("degrade" as const),
      capacity: fc.option(fc.integer({ min: 0, max: 12 }), { nil: null }),
    }),
  },
)

describe("server pool", () => {
  it("answers every request exactly as a scan of the servers does", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 9 }), fc.array(step, { maxLength: 300 }), (servers, steps) => {
        const pool = new ServerPool("p", servers)
        const scan = new ScanPool(servers)
        const target = pool.faultTarget()
        let now = 0
        let downs = 0
        for (const s of steps) {
          if (s.kind === "request") {
            now += s.gapUs
            expect(pool.reserve(now, s.serviceUs, s.timeoutUs)).toBe(
              scan.reserve(now, s.serviceUs, s.timeoutUs),
            )
          } else if (s.kind === "down") {
            // Outages nest; never lift one that was not set.
            if (!s.down && downs === 0) continue
            downs += s.down ? 1 : -1
            target.setDown(s.down)
            scan.down = downs
          } else {
            target.degrade(
              s.capacity === null
                ? null
                : { kind: "degradation", target: "p", startUs: 0, durationUs: 1, capacity: s.capacity },
            )
            scan.degraded = s.capacity
          }
          expect(pool.loadAt(now).busy).toBe(scan.freeUs.filter((f) => f > now).length)
          expect(pool.loadAt(now)).toEqual(scanLoad(scan, now))
        }
      }),
      { numRuns: 300 },
    )
  })
})
