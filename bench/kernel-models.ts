/**
 * The kernel benchmark's models (DESIGN.md §5): M/M/8 at ρ = 0.9 as a raw typed-array heap loop
 * written inline (the budget's baseline), on the kernel's callback API, as generator processes,
 * and as the raw loop driving those generators (the floor of any generator-process API). All four
 * give the same mean wait for the same seed. bench/peers/mmc_simpy2.py is the model in SimPy.
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

/**
 * What any generator-process API pays at least, for the line's context: the raw loop above with
 * the model's logic moved into the same generators as `kernelProcesses` (a source, and a customer
 * that yields a request marker, then its service time). The loop drives them directly (no kernel,
 * no Process or Request objects, no tokens), so the gap to `rawLoop` is the cost of one generator
 * per customer and its resumes, and the gap to `kernelProcesses` is what the process API adds.
 */
export const generatorFloor = (customers: number): Outcome => {
  const arrivals = streamOf(SEED, "arrivals")
  const services = streamOf(SEED, "services")
  const REQUEST = -1
  let nowUs = 0
  let served = 0
  let waitSum = 0
  function* customer(): Generator<number, void, unknown> {
    const arrivalUs = nowUs
    yield REQUEST
    waitSum += nowUs - arrivalUs
    served++
    yield exponentialUs(services, SERVICE_US_MEAN)
  }
  function* source(): Generator<number, void, unknown> {
    for (let i = 0; i < customers; i++) yield exponentialUs(arrivals, INTERARRIVAL_US_MEAN)
  }
  // The heap holds (time, generator); the source is the generator whose events are arrivals.
  const heap = new GeneratorHeap()
  const src = source()
  // The waiting line: a ring as in `rawLoop` (its 2^20 entries bound the queue the same way).
  const waiting: Array<Generator<number, void, unknown> | undefined> = new Array(1 << 20).fill(undefined)
  const waitingMask = waiting.length - 1
  let waitingHead = 0
  let waitingTail = 0
  let busy = 0
  const start = (g: Generator<number, void, unknown>) => heap.push(nowUs + g.next().value!, g)
  let first = src.next()
  heap.push(first.value!, src)
  while (heap.size > 0) {
    const g = heap.pop<Generator<number, void, unknown>>()
    nowUs = heap.lastTimeUs
    if (g === src) {
      const c = customer()
      c.next()
      if (busy < SERVERS) {
        busy++
        start(c)
      } else {
        waiting[waitingTail] = c
        waitingTail = (waitingTail + 1) & waitingMask
      }
      first = src.next()
      if (first.done !== true) heap.push(nowUs + first.value, src)
    } else {
      g.next()
      if (waitingHead !== waitingTail) {
        const next = waiting[waitingHead]!
        waiting[waitingHead] = undefined
        waitingHead = (waitingHead + 1) & waitingMask
        start(next)
      } else busy--
    }
  }
  return { customers: served, waitUsMean: waitSum / served }
}

/** A binary heap of (time, generator) on a typed array and a parallel array, as in `rawLoop`. */
class GeneratorHeap {
  private time = new Float64Array(64)
  private refs: unknown[] = new Array(64).fill(undefined)
  size = 0
  lastTimeUs = 0

  push(t: number, ref: unknown): void {
    if (this.size === this.time.length) {
      const t2 = new Float64Array(this.size * 2)
      t2.set(this.time)
      this.time = t2
      for (let i = this.size; i < t2.length; i++) this.refs.push(undefined)
    }
    const time = this.time
    const refs = this.refs
    let i = this.size++
    while (i > 0) {
      const p = (i - 1) >> 1
      if (time[p]! <= t) break
      time[i] = time[p]!
      refs[i] = refs[p]
      i = p
    }
    time[i] = t
    refs[i] = ref
  }

  pop<R>(): R {
    const time = this.time
    const refs = this.refs
    const top = refs[0] as R
    this.lastTimeUs = time[0]!
    const n = --this.size
    const lastT = time[n]!
    const lastR = refs[n]
    refs[n] = undefined
    let i = 0
    for (;;) {
      let c = 2 * i + 1
      if (c >= n) break
      if (c + 1 < n && time[c + 1]! < time[c]!) c++
      if (lastT <= time[c]!) break
      time[i] = time[c]!
      refs[i] = refs[c]
      i = c
    }
    if (n > 0) {
      time[i] = lastT
      refs[i] = lastR
    }
    return top
  }
}
