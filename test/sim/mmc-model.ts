/**
 * A test fixture, not a test: the M/M/c queue on the kernel's callback API with the recorder's
 * statistics, as a pure function of (seed, options). The M/M/c validation, the digest tests and
 * the worker-thread replication tests all run this one model.
 */
import { Kernel } from "../../sim/kernel/kernel.ts"
import { Resource } from "../../sim/kernel/resource.ts"
import { EventDigest } from "../../sim/recorder/digest.ts"
import { Tally } from "../../sim/recorder/tally.ts"
import { TimeWeighted } from "../../sim/recorder/time-weighted.ts"
import { exponentialUs } from "../../sim/rng/distributions.ts"
import { streamOf } from "../../sim/rng/stream.ts"

export interface MmcOptions {
  readonly servers: number
  readonly rho: number
  readonly serviceUsMean: number
  /** Simulated time before statistics are reset (the warm-up). */
  readonly warmupUs: number
  /** Simulated time measured after the warm-up. */
  readonly measureUs: number
  readonly digest?: boolean
}

export interface MmcResult {
  readonly waitUsMean: number
  readonly queueLengthMean: number
  readonly arrivalsPerUs: number
  readonly utilisation: number
  readonly customers: number
  readonly digest: string
}

export const runMmc = (seed: number, o: MmcOptions): MmcResult => {
  const kernel = new Kernel()
  const digest = o.digest === true ? new EventDigest() : null
  kernel.log = digest
  const arrivals = streamOf(seed, "mmc/arrivals")
  const services = streamOf(seed, "mmc/services")
  const busyStat = new TimeWeighted("busy")
  const queueStat = new TimeWeighted("queue")
  const servers = new Resource(kernel, { name: "servers", capacity: o.servers, busyStat, queueStat })
  const waits = new Tally("wait")
  const interarrivalUsMean = o.serviceUsMean / (o.rho * o.servers)
  let arrived = 0
  const depart = kernel.register<undefined>("depart", () => servers.release())
  const start = kernel.register<undefined>("start", (arrivalUs) => {
    waits.observe(kernel.nowUs - arrivalUs)
    kernel.schedule(exponentialUs(services, o.serviceUsMean), depart, 0, undefined)
  })
  const arrive = kernel.register<undefined>("arrive", () => {
    arrived++
    kernel.schedule(exponentialUs(arrivals, interarrivalUsMean), arrive, 0, undefined)
    if (servers.tryAcquire()) kernel.invoke(start, kernel.nowUs, undefined)
    else servers.enqueue(start, kernel.nowUs, undefined)
  })
  kernel.schedule(exponentialUs(arrivals, interarrivalUsMean), arrive, 0, undefined)
  kernel.run(o.warmupUs)
  busyStat.reset(kernel.nowUs)
  queueStat.reset(kernel.nowUs)
  waits.reset()
  arrived = 0
  const endUs = o.warmupUs + o.measureUs
  kernel.run(endUs)
  return {
    waitUsMean: waits.mean,
    queueLengthMean: queueStat.mean(endUs),
    arrivalsPerUs: arrived / o.measureUs,
    utilisation: busyStat.mean(endUs) / o.servers,
    customers: waits.count,
    digest: digest === null ? "" : digest.hex(),
  }
}

/** The numeric metrics of one replication, as the worker-thread replications expect them. */
export const mmcMetrics = (seed: number, options: MmcOptions): Record<string, number> => {
  const r = runMmc(seed, options)
  return { waitUsMean: r.waitUsMean, queueLengthMean: r.queueLengthMean, utilisation: r.utilisation }
}

/** A model that fails for odd seeds, to exercise error reporting. */
export const failingOnOdd = (seed: number): Record<string, number> => {
  if (seed % 2 === 1) throw new Error(`model failed for seed ${seed}`)
  return { x: seed }
}
