/**
 * The kernel benchmark's models (DESIGN.md §5): M/M/8 at ρ = 0.9 as a raw typed-array heap loop
 * written inline (the budget's baseline), on the kernel's callback API, and as generator
 * processes. bench/peers/mmc_simpy2.py is the same model in SimPy.
 */
import { Kernel } from "../sim/kernel/kernel.ts"
import { spawn } from "../sim/kernel/process.ts"
import { Resource } from "../sim/kernel/resource.ts"
import { EventDigest } from "../sim/recorder/digest.ts"
import { exponentialUs } from "../sim/rng/distributions.ts"
import { streamOf } from "../sim/rng/stream.ts"

export const SERVERS = 8
export const RHO = 0.9
const SERVICE_US_MEAN = 1_000_000
const INTERARRIVAL_US_MEAN = SERVICE_US_MEAN / (RHO * SERVERS)
const SEED = 42

export interface Outcome {
  readonly customers: number
  readonly waitUsMean: number
}

/** The baseline: one function, a binary heap on typed arrays, the model's logic inlined. */
export const rawLoop = (customers: number): Outcome => {
  const arrivals = streamOf(SEED, "arrivals")
  const services = streamOf(SEED, "services")
  let cap = 64
  let time = new Float64Array(cap)
  let kind = new Uint8Array(cap)
  let n = 0
  const ring = new Float64Array(1 << 20)
  const ringMask = ring.length - 1
  let head = 0
  let tail = 0
  let busy = 0
  let arrived = 0
  let served = 0
  let waitSum = 0
  const push = (t: number, k: number) => {
    if (n === cap) {
      cap *= 2
      const t2 = new Float64Array(cap)
      t2.set(time)
      time = t2
      const k2 = new Uint8Array(cap)
      k2.set(kind)
      kind = k2
    }
    let i = n++
    while (i > 0) {
      const p = (i - 1) >> 1
      if (time[p]! <= t) break
      time[i] = time[p]!
      kind[i] = kind[p]!
      i = p
    }
    time[i] = t
    kind[i] = k
  }
  push(exponentialUs(arrivals, INTERARRIVAL_US_MEAN), 0)
  arrived = 1
  while (n > 0) {
    const now = time[0]!
    const k = kind[0]!
    const lastT = time[--n]!
    const lastK = kind[n]!
    let i = 0
    for (;;) {
      let c = 2 * i + 1
      if (c >= n) break
      if (c + 1 < n && time[c + 1]! < time[c]!) c++
      if (lastT <= time[c]!) break
      time[i] = time[c]!
      kind[i] = kind[c]!
      i = c
    }
    time[i] = lastT
    kind[i] = lastK
    if (k === 0) {
      if (arrived < customers) {
        arrived++
        push(now + exponentialUs(arrivals, INTERARRIVAL_US_MEAN), 0)
      }
      if (busy < SERVERS) {
        busy++
        served++
        push(now + exponentialUs(services, SERVICE_US_MEAN), 1)
      } else {
        ring[tail] = now
        tail = (tail + 1) & ringMask
      }
    } else if (head !== tail) {
      waitSum += now - ring[head]!
      head = (head + 1) & ringMask
      served++
      push(now + exponentialUs(services, SERVICE_US_MEAN), 1)
    } else {
      busy--
    }
  }
  return { customers: served, waitUsMean: waitSum / served }
}

/** The same model on the kernel's callback API: handler ids, a Resource, no closures per event. */
export const kernelCallbacks = (withDigest: boolean, customers: number): Outcome => {
  const kernel = new Kernel()
  if (withDigest) kernel.log = new EventDigest()
  const arrivals = streamOf(SEED, "arrivals")
  const services = streamOf(SEED, "services")
  const servers = new Resource(kernel, { name: "servers", capacity: SERVERS })
  let arrived = 0
  let served = 0
  let waitSum = 0
  const depart = kernel.register<undefined>("depart", () => servers.release())
  const start = kernel.register<undefined>("start", (arrivalUs) => {
    waitSum += kernel.nowUs - arrivalUs
    served++
    kernel.schedule(exponentialUs(services, SERVICE_US_MEAN), depart, 0, undefined)
  })
  const arrive = kernel.register<undefined>("arrive", () => {
    if (++arrived < customers)
      kernel.schedule(exponentialUs(arrivals, INTERARRIVAL_US_MEAN), arrive, 0, undefined)
    if (servers.tryAcquire()) kernel.invoke(start, kernel.nowUs, undefined)
    else servers.enqueue(start, kernel.nowUs, undefined)
  })
  kernel.schedule(exponentialUs(arrivals, INTERARRIVAL_US_MEAN), arrive, 0, undefined)
  kernel.run()
  return { customers: served, waitUsMean: waitSum / served }
}

/** The same model as generator processes: one process per customer plus a source. */
export const kernelProcesses = (customers: number): Outcome => {
  const kernel = new Kernel()
  const arrivals = streamOf(SEED, "arrivals")
  const services = streamOf(SEED, "services")
  const servers = new Resource(kernel, { name: "servers", capacity: SERVERS })
  let served = 0
  let waitSum = 0
  function* customer() {
    const arrivalUs = kernel.nowUs
    yield servers.request()
    waitSum += kernel.nowUs - arrivalUs
    served++
    yield exponentialUs(services, SERVICE_US_MEAN)
    servers.release()
  }
  function* source() {
    for (let i = 0; i < customers; i++) {
      yield exponentialUs(arrivals, INTERARRIVAL_US_MEAN)
      spawn(kernel, customer())
    }
  }
  spawn(kernel, source())
  kernel.run()
  return { customers: served, waitUsMean: waitSum / served }
}
