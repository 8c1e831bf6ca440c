// Proves that resources never exceed their capacity and serve in FIFO or priority order, that
// preemption follows its documented rule, and that bounded stores block producers and consumers.
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { Kernel } from "../../../sim/kernel/kernel.ts"
import { type Interrupt, type Process, spawn } from "../../../sim/kernel/process.ts"
import { Resource } from "../../../sim/kernel/resource.ts"
import { type Preempted, PreemptiveResource } from "../../../sim/kernel/resource-preemptive.ts"
import { Store } from "../../../sim/kernel/store.ts"

describe("Resource", () => {
  it("never exceeds its capacity, and every customer is served, for any arrivals and holds", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4 }),
        fc.array(fc.tuple(fc.nat(50), fc.integer({ min: 1, max: 60 }), fc.integer({ min: -2, max: 2 })), {
          maxLength: 60,
        }),
        fc.constantFrom("fifo" as const, "priority" as const),
        (capacity, customers, discipline) => {
          const k = new Kernel()
          const r = new Resource(k, { name: "r", capacity, discipline })
          let served = 0
          let maxBusy = 0
          for (const [arrive, hold, priority] of customers) {
            spawn(
              k,
              (function* () {
                yield arrive
                yield r.request(priority)
                maxBusy = Math.max(maxBusy, r.busy)
                expect(r.busy).toBeLessThanOrEqual(capacity)
                yield hold
                r.release()
                served++
              })(),
            )
          }
          k.run()
          expect(served).toBe(customers.length)
          expect(maxBusy).toBeLessThanOrEqual(capacity)
          expect(r.busy).toBe(0)
        },
      ),
      { numRuns: 150 },
    )
  })

  it("serves the waiting line by priority, FIFO among equals", () => {
    const k = new Kernel()
    const r = new Resource(k, { name: "r", capacity: 1, discipline: "priority" })
    const order: string[] = []
    const customer = (name: string, priority: number) =>
      spawn(
        k,
        (function* () {
          yield r.request(priority)
          order.push(name)
          yield 10
          r.release()
        })(),
      )
    customer("first", 5)
    customer("low", 3)
    customer("high", 1)
    customer("high2", 1)
    k.run()
    expect(order).toEqual(["first", "high", "high2", "low"])
  })

  it("hands a released server to a waiting process within the releasing event, after the releaser yields", () => {
    const k = new Kernel()
    const r = new Resource(k, { name: "r", capacity: 1 })
    const log: string[] = []
    spawn(
      k,
      (function* () {
        yield r.request()
        log.push(`A got @${k.nowUs}`)
        yield 10
        r.release()
        log.push("A released")
      })(),
    )
    spawn(
      k,
      (function* () {
        yield r.request()
        log.push(`B got @${k.nowUs}`)
        r.release()
      })(),
    )
    k.run(1)
    // Scheduled after A's timeout, for the same instant: an event the grant does not wait for.
    k.schedule(
      9,
      k.register<undefined>("other", () => log.push(`other @${k.nowUs}`)),
      0,
      undefined,
    )
    k.run()
    expect(log).toEqual(["A got @0", "A released", "B got @10", "other @10"])
    // A's timeout and "other": the starts, A's on-the-spot grant and B's grant are no events.
    expect(k.eventsProcessed).toBe(2)
    expect(r.busy).toBe(0)
  })

  it("takes a lower capacity into effect only as servers are released", () => {
    const k = new Kernel()
    const r = new Resource(k, { name: "r", capacity: 2 })
    expect(r.tryAcquire() && r.tryAcquire()).toBe(true)
    r.setCapacity(1)
    expect(r.busy).toBe(2)
    r.release()
    expect(r.tryAcquire()).toBe(false)
    expect(() => new Resource(k, { name: "bad", capacity: -1 })).toThrow(RangeError)
  })
})

describe("PreemptiveResource", () => {
  it("preempts the least urgent, most recent user for a strictly more urgent request", () => {
    const k = new Kernel()
    const r = new PreemptiveResource(k, 1)
    const log: string[] = []
    const user = (name: string, at: number, priority: number) => {
      const self: { process?: Process<unknown> } = {}
      self.process = spawn(
        k,
        (function* () {
          yield at
          const req = r.request(self.process!, priority)
          yield req
          try {
            yield 100
            r.release(req)
            log.push(`${name} done at ${k.nowUs}`)
          } catch (e) {
            const cause = (e as Interrupt).interruptCause as Preempted
            log.push(`${name} preempted at ${k.nowUs} (held since ${cause.usageSinceUs})`)
            expect(r.release(req)).toBe(false)
          }
        })(),
      )
    }
    user("batch", 0, 5)
    user("peer", 10, 5)
    user("urgent", 20, 1)
    k.run()
    expect(log).toEqual(["batch preempted at 20 (held since 0)", "urgent done at 120", "peer done at 220"])
  })
})

describe("Store", () => {
  it("blocks a putter while full and a getter while empty, in FIFO order", () => {
    const k = new Kernel()
    const s = new Store<string>(k, { name: "s", capacity: 1 })
    const log: string[] = []
    spawn(
      k,
      (function* () {
        for (const item of ["a", "b", "c"]) {
          yield s.put(item)
          log.push(`put ${item} at ${k.nowUs}`)
        }
      })(),
    )
    spawn(
      k,
      (function* () {
        for (let i = 0; i < 3; i++) {
          yield 10
          log.push(`got ${yield s.get()} at ${k.nowUs}`)
        }
      })(),
    )
    k.run()
    expect(log).toEqual([
      "put a at 0",
      "got a at 10",
      "put b at 10",
      "got b at 20",
      "put c at 20",
      "got c at 30",
    ])
    expect(s.size).toBe(0)
  })
})
