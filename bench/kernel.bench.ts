/**
 * Kernel benchmark (DESIGN.md §5): M/M/8 at ρ = 0.9 with 1,000,000 customers through the kernel's
 * public API (callbacks and processes) and through a raw typed-array heap loop of the same model
 * written inline below, in the same process; then the hold model with 1,000,000 pending events.
 * Prints one JSON line per measurement. The wall clock (performance.now) lives here, outside sim/.
 * Every variant first runs once untimed on a tenth of the customers, so that each is measured
 * after V8 has compiled it (and after the others have run, as in a real process); then each
 * figure is the median of five runs, interleaved so that machine noise hits all variants. The
 * ratio is also given in CPU time, which other processes on a shared machine disturb far less.
 */
import { setFlagsFromString } from "node:v8"
import { runInNewContext } from "node:vm"
import { Kernel } from "../sim/kernel/kernel.ts"
import { spawn } from "../sim/kernel/process.ts"
import { Resource } from "../sim/kernel/resource.ts"
import { EventDigest } from "../sim/recorder/digest.ts"
import { exponentialUs } from "../sim/rng/distributions.ts"
import { streamOf } from "../sim/rng/stream.ts"

const CUSTOMERS = 1_000_000
const SERVERS = 8
const RHO = 0.9
const SERVICE_US_MEAN = 1_000_000
const INTERARRIVAL_US_MEAN = SERVICE_US_MEAN / (RHO * SERVERS)
const SEED = 42
const REPEATS = 5
const WARMUP_CUSTOMERS = CUSTOMERS / 10

interface Outcome {
  readonly customers: number
  readonly waitUsMean: number
}

/** The baseline: one function, a binary heap on typed arrays, the model's logic inlined. */
const rawLoop = (customers: number): Outcome => {
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
const kernelCallbacks = (withDigest: boolean, customers: number): Outcome => {
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
const kernelProcesses = (customers: number): Outcome => {
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

interface Timing {
  readonly outcome: Outcome
  readonly seconds: number
  readonly cpuSeconds: number
}

const timed = (f: () => Outcome): Timing => {
  const t0 = performance.now()
  const c0 = process.cpuUsage()
  const outcome = f()
  const cpu = process.cpuUsage(c0)
  return { outcome, seconds: (performance.now() - t0) / 1000, cpuSeconds: (cpu.user + cpu.system) / 1e6 }
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!

const variants: Record<string, (customers: number) => Outcome> = {
  raw: rawLoop,
  callbacks: (customers) => kernelCallbacks(false, customers),
  "callbacks+digest": (customers) => kernelCallbacks(true, customers),
  processes: kernelProcesses,
}

const mmc = (): void => {
  for (const f of Object.values(variants)) f(WARMUP_CUSTOMERS)
  const rates: Record<string, number[]> = {}
  const cpuRates: Record<string, number[]> = {}
  const waits: Record<string, number> = {}
  for (let r = 0; r < REPEATS; r++) {
    for (const [name, f] of Object.entries(variants)) {
      const { outcome, seconds, cpuSeconds } = timed(() => f(CUSTOMERS))
      rates[name] = [...(rates[name] ?? []), outcome.customers / seconds]
      cpuRates[name] = [...(cpuRates[name] ?? []), outcome.customers / cpuSeconds]
      waits[name] = outcome.waitUsMean
    }
  }
  const raw = median(rates.raw!)
  const rawCpu = median(cpuRates.raw!)
  for (const name of Object.keys(variants)) {
    const rate = median(rates[name]!)
    const line = {
      bench: "mmc",
      variant: name,
      servers: SERVERS,
      rho: RHO,
      customers: CUSTOMERS,
      customersPerSecond: Math.round(rate),
      ratioToRaw: Number((rate / raw).toFixed(3)),
      ratioToRawCpu: Number((median(cpuRates[name]!) / rawCpu).toFixed(3)),
      waitUsMean: Math.round(waits[name]!),
      runs: REPEATS,
    }
    console.log(JSON.stringify(line))
  }
  // The SM3 event digest's cost per processed event: the same model with and without it.
  const events = 2 * CUSTOMERS
  const plain = median(rates.callbacks!)
  const digested = median(rates["callbacks+digest"]!)
  const digestNsPerEvent = ((CUSTOMERS / digested - CUSTOMERS / plain) / events) * 1e9
  console.log(
    JSON.stringify({
      bench: "digest",
      slowdown: Number((plain / digested).toFixed(3)),
      nsPerEvent: Number(digestNsPerEvent.toFixed(1)),
    }),
  )
}

/** The hold model: a constant population of pending events, each replaced by a later one. */
const hold = (): void => {
  const pendingTarget = 1_000_000
  const eventsToRun = 5_000_000
  // A full collection before each reading, so that garbage from the M/M/8 runs collected in
  // between cannot offset the measured bytes (it made them negative).
  setFlagsFromString("--expose-gc")
  const collect = runInNewContext("gc") as () => void
  collect()
  const before = process.memoryUsage()
  const kernel = new Kernel({ capacity: 1 << 20 })
  const stream = streamOf(SEED, "hold")
  const meanUs = 1_000_000
  const again = kernel.register<undefined>("hold", () => {
    kernel.schedule(exponentialUs(stream, meanUs), again, 0, undefined)
  })
  for (let i = 0; i < pendingTarget; i++) kernel.schedule(exponentialUs(stream, meanUs), again, 0, undefined)
  collect()
  const after = process.memoryUsage()
  const t0 = performance.now()
  const processed = kernel.run(Number.MAX_SAFE_INTEGER, eventsToRun)
  const seconds = (performance.now() - t0) / 1000
  const measured = after.heapUsed + after.arrayBuffers - (before.heapUsed + before.arrayBuffers)
  const line = {
    bench: "hold",
    pending: kernel.pending,
    events: processed,
    eventsPerSecond: Math.round(processed / seconds),
    bytesPerPendingEventAllocated: Number((kernel.heap.capacityBytes / kernel.pending).toFixed(1)),
    bytesPerPendingEventMeasured: Number((measured / pendingTarget).toFixed(1)),
  }
  console.log(JSON.stringify(line))
}

mmc()
hold()
