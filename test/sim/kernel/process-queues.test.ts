// Proves that generator processes on a Resource reproduce queueing theory and the callback API:
// M/D/1 and M/U/1 mean waits fall inside the 95 % confidence interval (independent replications)
// of the Pollaczek-Khinchine value; M/M/c customers written as processes wait exactly as the same
// customers on the callback API do, one by one, for the same seed; and a process customer costs
// two events (its arrival and its departure), the continuations it starts being no events.
import { describe, expect, it } from "vitest"
import { Kernel } from "../../../sim/kernel/kernel.ts"
import { spawn } from "../../../sim/kernel/process.ts"
import { Resource } from "../../../sim/kernel/resource.ts"
import { Tally } from "../../../sim/recorder/tally.ts"
import { exponentialUs, uniformInt } from "../../../sim/rng/distributions.ts"
import { type Stream, streamOf } from "../../../sim/rng/stream.ts"

const SERVICE_US_MEAN = 100_000
/** Student t 0.975 quantile for 19 degrees of freedom (standard table). */
const T_975_DF19 = 2.093
const REPLICATIONS = 20

interface QueueRun {
  readonly waitsUs: number[]
  readonly events: number
}

/** M/G/c as processes: a source spawns customers that request a server, hold it, release it. */
const processQueue = (
  seed: number,
  servers: number,
  interarrivalUsMean: number,
  service: (s: Stream) => number,
  customers: number,
): QueueRun => {
  const kernel = new Kernel()
  const arrivals = streamOf(seed, "queue/arrivals")
  const services = streamOf(seed, "queue/services")
  const resource = new Resource(kernel, { name: "servers", capacity: servers })
  const waitsUs: number[] = []
  function* customer() {
    const arrivalUs = kernel.nowUs
    yield resource.request()
    waitsUs.push(kernel.nowUs - arrivalUs)
    yield service(services)
    resource.release()
  }
  function* source() {
    for (let i = 0; i < customers; i++) {
      yield exponentialUs(arrivals, interarrivalUsMean)
      spawn(kernel, customer())
    }
  }
  spawn(kernel, source())
  kernel.run()
  return { waitsUs, events: kernel.eventsProcessed }
}

/** The same M/M/c customers on the callback API (the style of test/sim/mmc-model.ts). */
const callbackQueue = (seed: number, servers: number, interarrivalUsMean: number, customers: number) => {
  const kernel = new Kernel()
  const arrivals = streamOf(seed, "queue/arrivals")
  const services = streamOf(seed, "queue/services")
  const resource = new Resource(kernel, { name: "servers", capacity: servers })
  const waitsUs: number[] = []
  let arrived = 0
  const depart = kernel.register<undefined>("depart", () => resource.release())
  const start = kernel.register<undefined>("start", (arrivalUs) => {
    waitsUs.push(kernel.nowUs - arrivalUs)
    kernel.schedule(exponentialUs(services, SERVICE_US_MEAN), depart, 0, undefined)
  })
  const arrive = kernel.register<undefined>("arrive", () => {
    if (++arrived < customers)
      kernel.schedule(exponentialUs(arrivals, interarrivalUsMean), arrive, 0, undefined)
    if (resource.tryAcquire()) kernel.invoke(start, kernel.nowUs, undefined)
    else resource.enqueue(start, kernel.nowUs, undefined)
  })
  kernel.schedule(exponentialUs(arrivals, interarrivalUsMean), arrive, 0, undefined)
  kernel.run()
  return waitsUs
}

/** Pollaczek-Khinchine (Kleinrock, vol. 1 §5.7): W_q = λ·E[S²] / (2(1 − ρ)). */
const pollaczekKhinchineUs = (lambdaPerUs: number, serviceSecondMomentUs2: number, rho: number): number =>
  (lambdaPerUs * serviceSecondMomentUs2) / (2 * (1 - rho))

const cases = [
  {
    name: "M/D/1, ρ=0.7",
    rho: 0.7,
    service: () => SERVICE_US_MEAN,
    secondMoment: SERVICE_US_MEAN ** 2,
  },
  {
    // Uniform integers on [0, 2s]: E[S] = s, E[S²] = s² + ((2s + 1)² − 1) / 12.
    name: "M/U/1, ρ=0.8",
    rho: 0.8,
    service: (s: Stream) => uniformInt(s, 0, 2 * SERVICE_US_MEAN),
    secondMoment: SERVICE_US_MEAN ** 2 + ((2 * SERVICE_US_MEAN + 1) ** 2 - 1) / 12,
  },
]

describe("processes on a Resource", () => {
  for (const { name, rho, service, secondMoment } of cases) {
    it(`${name}: mean wait within the 95 % CI of Pollaczek-Khinchine`, () => {
      const warmup = 2_000
      const customers = 30_000
      const interarrivalUsMean = SERVICE_US_MEAN / rho
      const means = Array.from({ length: REPLICATIONS }, (_, i) => {
        const run = processQueue(500 + i, 1, interarrivalUsMean, service, warmup + customers)
        const waits = new Tally("wait")
        for (const w of run.waitsUs.slice(warmup)) waits.observe(w)
        return waits.mean
      })
      const mean = means.reduce((a, b) => a + b, 0) / REPLICATIONS
      const variance = means.reduce((a, w) => a + (w - mean) ** 2, 0) / (REPLICATIONS - 1)
      const halfWidth = T_975_DF19 * Math.sqrt(variance / REPLICATIONS)
      const expected = pollaczekKhinchineUs(1 / interarrivalUsMean, secondMoment, rho)
      expect(Math.abs(mean - expected)).toBeLessThanOrEqual(halfWidth)
      // The interval must be informative, or the check above could never fail.
      expect(halfWidth).toBeLessThan(0.1 * expected)
    })
  }

  it("M/M/3 customers as processes wait exactly as on the callback API, at two events each", () => {
    const customers = 20_000
    const interarrivalUsMean = SERVICE_US_MEAN / (0.9 * 3)
    const exponentialService = (s: Stream) => exponentialUs(s, SERVICE_US_MEAN)
    const processes = processQueue(7, 3, interarrivalUsMean, exponentialService, customers)
    const callbacks = callbackQueue(7, 3, interarrivalUsMean, customers)
    expect(processes.waitsUs.length).toBe(customers)
    // A run where nobody waits would make the comparison trivial.
    expect(processes.waitsUs.filter((w) => w > 0).length).toBeGreaterThan(customers / 2)
    expect(processes.waitsUs).toEqual(callbacks)
    expect(processes.events).toBe(2 * customers)
  })
})
