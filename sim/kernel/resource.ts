/**
 * A resource: `capacity` identical servers and a bounded waiting line (SimPy's Resource and
 * PriorityResource). Two interfaces over one queue:
 * - callbacks, for hot paths: `tryAcquire()` takes a free server at once; otherwise `enqueue`
 *   parks (handler, a0, ref), and `release()` hands the server straight to the next waiter by
 *   calling its handler inside the releasing event (the server never goes idle in between);
 * - processes: `yield resource.request(priority)` waits for a grant, `release()` gives it back.
 *   A request granted on the spot is processed on the spot (one shared processed event), so the
 *   process goes on without an event or an allocation; one granted by a release succeeds as a continuation of the releasing event
 *   (event.ts `succeedAfterCurrent`): the server passes to the waiter inside the release's event,
 *   as in the callback interface, and the waiter runs right after the releaser yields.
 * The line is FIFO, or ordered by (priority, arrival) with the "priority" discipline; lower
 * priority numbers go first. Lowering the capacity (a fault) never takes a server from its user:
 * it takes effect as servers are released. Preemption lives in PreemptiveResource.
 */
import type { TimeWeighted } from "../recorder/time-weighted.ts"
import { SimEvent } from "./event.ts"
import type { EventHandle } from "./heap.ts"
import type { HandlerId, Kernel } from "./kernel.ts"
import { FifoLine, PriorityLine, type WaitingLine } from "./waiting-line.ts"

export interface ResourceOptions {
  /** Names the resource in handler names and errors. */
  readonly name: string
  /** Servers; a non-negative integer. */
  readonly capacity: number
  /** "fifo" (default) serves in arrival order; "priority" by (priority, arrival). */
  readonly discipline?: "fifo" | "priority"
  /** Longest waiting line; `enqueue` refuses beyond it (STYLE.md rule 3). */
  readonly queueMax?: number
  /** Time-weighted busy-server count, if the caller wants utilisation. */
  readonly busyStat?: TimeWeighted
  /** Time-weighted waiting-line length, if the caller wants L_q. */
  readonly queueStat?: TimeWeighted
}

/** A process's claim on one server; it succeeds when the server is granted. */
export class Request extends SimEvent<undefined> {
  /** The waiting-line handle while queued; -1 once granted (or never queued). */
  handle: EventHandle | -1 = -1
  constructor(readonly resource: Resource) {
    super(resource.kernel)
  }
}

export class Resource {
  busy = 0
  capacity: number
  readonly name: string
  private readonly queue: WaitingLine
  private readonly queueMax: number
  private readonly busyStat: TimeWeighted | null
  private readonly queueStat: TimeWeighted | null
  private readonly grantHandler: HandlerId<Request>
  /**
   * What every request granted on the spot returns: a granted request carries nothing but
   * "granted" (processed, succeeded, no handle), so one processed event serves them all and the
   * uncontended case allocates nothing; `withdraw` of it is false, as for any granted request.
   */
  private readonly grantedOnTheSpot: Request

  constructor(
    readonly kernel: Kernel,
    options: ResourceOptions,
  ) {
    if (!(Number.isSafeInteger(options.capacity) && options.capacity >= 0)) {
      throw new RangeError(`${options.name}: capacity ${options.capacity}`)
    }
    this.name = options.name
    this.capacity = options.capacity
    this.queueMax = options.queueMax ?? 1 << 24
    this.queue = options.discipline === "priority" ? new PriorityLine() : new FifoLine()
    this.busyStat = options.busyStat ?? null
    this.queueStat = options.queueStat ?? null
    this.grantedOnTheSpot = new Request(this)
    this.grantedOnTheSpot.succeedUnwatched(undefined)
    this.grantHandler = kernel.register<Request>(`resource.grant:${this.name}`, (_a0, request) => {
      request.handle = -1
      request.succeedAfterCurrent(undefined)
    })
  }

  get queueLength(): number {
    return this.queue.size
  }

  /** Takes a free server now if there is one and nobody is waiting ahead. */
  tryAcquire(): boolean {
    if (this.busy >= this.capacity || this.queue.size > 0) return false
    this.busy++
    if (this.busyStat !== null) this.busyStat.set(this.kernel.nowUs, this.busy)
    return true
  }

  /** Parks a waiter; returns a handle for `dequeue`, or -1 when the line is full. */
  enqueue<R>(handler: HandlerId<R>, a0: number, ref: R, priority = 0): EventHandle | -1 {
    if (this.queue.size >= this.queueMax) return -1
    const handle = this.queue.push(handler, a0, ref, priority)
    if (this.queueStat !== null) this.queueStat.set(this.kernel.nowUs, this.queue.size)
    return handle
  }

  /** Removes a parked waiter (it gave up); false if it was already served. */
  dequeue(handle: EventHandle): boolean {
    const removed = this.queue.cancel(handle)
    if (removed && this.queueStat !== null) this.queueStat.set(this.kernel.nowUs, this.queue.size)
    return removed
  }

  /** Frees one server, handing it to the first waiter if the capacity allows. */
  release(): void {
    if (this.busy <= 0) throw new Error(`${this.name}: release without a busy server`)
    if (this.busy <= this.capacity && this.queue.size > 0) {
      this.serveNext()
      return
    }
    this.busy--
    if (this.busyStat !== null) this.busyStat.set(this.kernel.nowUs, this.busy)
    this.fillFreeServers()
  }

  /** Changes the number of servers (faults, degradations); see the file comment for the rule. */
  setCapacity(capacity: number): void {
    if (!(Number.isSafeInteger(capacity) && capacity >= 0))
      throw new RangeError(`${this.name}: capacity ${capacity}`)
    this.capacity = capacity
    this.fillFreeServers()
  }

  /** A process-style claim: `yield resource.request()` resumes once a server is granted. */
  request(priority = 0): Request {
    if (this.tryAcquire()) return this.grantedOnTheSpot
    const request = new Request(this)
    const handle = this.enqueue(this.grantHandler, 0, request, priority)
    if (handle === -1) request.fail(new Error(`${this.name}: waiting line full (${this.queueMax})`))
    request.handle = handle
    return request
  }

  /** Withdraws a request that has not been granted yet (after an interrupt or a timeout). */
  withdraw(request: Request): boolean {
    if (request.handle === -1) return false
    const removed = this.dequeue(request.handle)
    request.handle = -1
    return removed
  }

  private fillFreeServers(): void {
    while (this.busy < this.capacity && this.queue.size > 0) {
      this.busy++
      if (this.busyStat !== null) this.busyStat.set(this.kernel.nowUs, this.busy)
      this.serveNext()
    }
  }

  private serveNext(): void {
    const queue = this.queue
    queue.shift()
    const ref = queue.shiftedRef
    queue.shiftedRef = undefined
    if (this.queueStat !== null) this.queueStat.set(this.kernel.nowUs, queue.size)
    this.kernel.invoke(queue.shiftedHandler as HandlerId<unknown>, queue.shiftedA0, ref)
  }
}
