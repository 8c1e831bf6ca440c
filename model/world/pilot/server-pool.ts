/**
 * A pool of identical servers as a cost model for the background load (DESIGN.md §4 "Fidelity and
 * scale"): millions of transactions occupy the bank hosts and the UnionPay switch without a kernel
 * event each. Each request reserves the server that frees first, FIFO, by the Lindley recursion
 * (start = max(arrival, server free), end = start + service) — exact for a FIFO multi-server queue
 * when requests arrive in time order, which they do here because every reservation is made at the
 * kernel's current instant. A request that would wait longer than its timeout gives up without
 * occupying a server (it reneges), one that finds the pool down is refused.
 */
import type { DegradationSpec } from "../../../sim/faults/fault-plan.ts"
import type { FaultTarget } from "../../../sim/faults/fault-target.ts"

/** A pool's load at one instant (`ServerPool.loadAt`). */
export interface PoolLoad {
  /** Servers reserved past the instant. */
  readonly busy: number
  /** Requests reserved but not yet started, from the backlog and the mean service time. */
  readonly queued: number
}

export class ServerPool {
  private readonly freeUs: Float64Array
  /**
   * The servers as a binary min-heap on (free instant, index), so the server that frees first
   * (the lowest index among equals, as a scan would pick) is found in O(log n) rather than by a
   * scan of every server per request: the bank hosts and the switch take one reservation per
   * transaction, tens of millions in a 1× run. A degraded pool serves from its first servers only,
   * which the heap does not order; it scans those, and the heap is rebuilt when it is used again.
   */
  private readonly heap: Int32Array
  private heapValid = true
  private downs = 0
  private degradedServers: number | null = null
  /** Service time reserved in total and since the last `takeInterval`. */
  busyUs = 0
  private intervalBusyUs = 0
  served = 0
  refused = 0
  timedOut = 0
  peakIntervalRatio = 0
  /** The busiest hour's utilisation (issue 12 item 6: a bottleneck shows where it bites). */
  peakHourRatio = 0
  private hourBusyUs = 0
  /** Wait before service, summed, for the mean wait. */
  waitUs = 0

  constructor(
    readonly name: string,
    readonly servers: number,
  ) {
    if (!(Number.isSafeInteger(servers) && servers >= 1)) throw new RangeError(`${name}: servers ${servers}`)
    this.freeUs = new Float64Array(servers)
    this.heap = Int32Array.from({ length: servers }, (_, i) => i)
  }

  get down(): boolean {
    return this.downs > 0
  }

  /** The completion instant, or -1 when the pool is down (refused) or the wait exceeds `timeoutUs`. */
  reserve(arrivalUs: number, serviceUs: number, timeoutUs: number): number {
    const active = this.downs > 0 ? 0 : Math.min(this.servers, this.degradedServers ?? this.servers)
    if (active === 0) {
      this.refused++
      return -1
    }
    const whole = active === this.servers
    if (whole && !this.heapValid) this.rebuildHeap()
    const best = whole ? this.heap[0]! : this.firstFreeAmong(active)
    const startUs = Math.max(arrivalUs, this.freeUs[best]!)
    if (startUs - arrivalUs > timeoutUs) {
      this.timedOut++
      return -1
    }
    const endUs = startUs + serviceUs
    this.freeUs[best] = endUs
    if (whole) this.siftDown(0)
    else this.heapValid = false
    this.busyUs += serviceUs
    this.intervalBusyUs += serviceUs
    this.hourBusyUs += serviceUs
    this.waitUs += startUs - arrivalUs
    this.served++
    return endUs
  }

  /** The first of the first `active` servers to free (the lowest index among equals). */
  private firstFreeAmong(active: number): number {
    let best = 0
    for (let i = 1; i < active; i++) if (this.freeUs[i]! < this.freeUs[best]!) best = i
    return best
  }

  /** Whether server `a` comes before server `b`: frees earlier, or at the same instant with a lower index. */
  private before(a: number, b: number): boolean {
    const fa = this.freeUs[a]!
    const fb = this.freeUs[b]!
    return fa < fb || (fa === fb && a < b)
  }

  private siftDown(from: number): void {
    const heap = this.heap
    const n = heap.length
    let at = from
    const server = heap[at]!
    for (;;) {
      const left = 2 * at + 1
      if (left >= n) break
      const right = left + 1
      const child = right < n && this.before(heap[right]!, heap[left]!) ? right : left
      if (!this.before(heap[child]!, server)) break
      heap[at] = heap[child]!
      at = child
    }
    heap[at] = server
  }

  private rebuildHeap(): void {
    for (let i = (this.heap.length >> 1) - 1; i >= 0; i--) this.siftDown(i)
    this.heapValid = true
  }

  /**
   * A stage of a chain worked out within one event (issuance orders): the request meets the pool
   * as it stands now — its wait is the wait an arrival now would have — and its service follows
   * the previous stage, which ends at `afterUs`. Reserving at the kernel's current instant keeps
   * the pool's arrivals in time order (a reservation at a later instant would hold a server idle
   * until then and make earlier arrivals wait for nothing). Returns the stage's end, or -1.
   */
  reserveAfter(nowUs: number, afterUs: number, serviceUs: number, timeoutUs: number): number {
    const done = this.reserve(nowUs, serviceUs, timeoutUs)
    return done < 0 ? -1 : afterUs + (done - nowUs)
  }

  /** Closes a sampling interval of `spanUs`: its utilisation ratio, which also updates the peak. */
  takeInterval(spanUs: number): number {
    const ratio = Math.min(1, this.intervalBusyUs / (this.servers * spanUs))
    this.intervalBusyUs = 0
    if (ratio > this.peakIntervalRatio) this.peakIntervalRatio = ratio
    return ratio
  }

  /**
   * Closes an hour of sampling (the world's hourly tick): the hour's utilisation, which also
   * updates the peak hour. Service is counted in the hour its reservation was made.
   */
  takeHour(spanUs: number): number {
    const ratio = Math.min(1, this.hourBusyUs / (this.servers * spanUs))
    this.hourBusyUs = 0
    if (ratio > this.peakHourRatio) this.peakHourRatio = ratio
    return ratio
  }

  /**
   * The pool's load at `nowUs` in one pass over the servers: the servers busy (reserved past it)
   * and the requests reserved but not yet started, estimated from the backlog (the reserved time
   * past `nowUs`) over the mean service time, less the ones in service. The viewer samples every
   * pool twelve times a simulated day, so busy and queued come from one loop.
   */
  loadAt(nowUs: number): PoolLoad {
    let busy = 0
    let backlogUs = 0
    for (let i = 0; i < this.servers; i++) {
      const aheadUs = this.freeUs[i]! - nowUs
      if (aheadUs <= 0) continue
      busy++
      backlogUs += aheadUs
    }
    if (this.served === 0) return { busy, queued: 0 }
    const queued = Math.max(0, Math.round(backlogUs / (this.busyUs / this.served)) - busy)
    return { busy, queued }
  }

  /** Mean utilisation over `elapsedUs` of simulated time. */
  meanRatio(elapsedUs: number): number {
    return elapsedUs <= 0 ? 0 : Math.min(1, this.busyUs / (this.servers * elapsedUs))
  }

  /** The pool as a fault target: outages nest; a degradation's `capacity` limits the servers. */
  faultTarget(): FaultTarget {
    return {
      setDown: (down) => {
        this.downs += down ? 1 : -1
      },
      degrade: (spec: DegradationSpec | null) => {
        this.degradedServers = spec === null ? null : (spec.capacity ?? null)
      },
    }
  }
}
