/**
 * A Resource's waiting line of parked callbacks (handler, a0, ref), in two disciplines behind one
 * interface: FIFO on a growable ring of typed arrays, and (priority, arrival) on an EventHeap.
 * Arrival order is FIFO's only order, so a ring does in O(1) what a heap keyed by arrival sequence
 * does in O(log n), and serves in exactly the same order (DESIGN.md §4: ties never depend on the
 * data structure).
 *
 * Each entry gets a ticket, its arrival number (a safe integer, so it never wraps within a run).
 * A ticket is the handle for `cancel`: it is pending while head ≤ t < tail and not cancelled, so a
 * handle that was served or cancelled can never remove a later arrival. Ring positions are kept
 * apart from tickets because bitwise masking is only exact below 2^31. Cancelled entries stay in
 * the ring, marked, and are skipped when they reach the head.
 */
import { type EventHandle, EventHeap } from "./heap.ts"

const CANCELLED = -1
/** The ring holds cancelled entries until they reach the head, so it is bounded on its own. */
const RING_MAX = 2 ** 26

export interface WaitingLine {
  /** Live (not cancelled) entries. */
  readonly size: number
  push(handler: number, a0: number, ref: unknown, priority: number): EventHandle
  /** Takes the first live entry into the `shifted*` fields; false when the line is empty. */
  shift(): boolean
  /** Removes a waiting entry; false if it was already served or cancelled. */
  cancel(handle: EventHandle): boolean
  shiftedHandler: number
  shiftedA0: number
  shiftedRef: unknown
}

/** The priority discipline: lower numbers first, arrival order among equals. */
export class PriorityLine implements WaitingLine {
  private readonly heap = new EventHeap(64)
  shiftedHandler = 0
  shiftedA0 = 0
  shiftedRef: unknown = undefined

  get size(): number {
    return this.heap.size
  }

  push(handler: number, a0: number, ref: unknown, priority: number): EventHandle {
    return this.heap.push(priority, 0, handler, a0, ref)
  }

  shift(): boolean {
    const heap = this.heap
    const slot = heap.pop()
    if (slot < 0) return false
    this.shiftedHandler = heap.handler[slot]!
    this.shiftedA0 = heap.a0[slot]!
    this.shiftedRef = heap.ref[slot]
    heap.release(slot)
    return true
  }

  cancel(handle: EventHandle): boolean {
    return this.heap.cancel(handle)
  }
}

export class FifoLine implements WaitingLine {
  private handler: Int32Array
  private a0: Float64Array
  private ref: unknown[]
  private mask: number
  /** Ticket of the oldest entry still in the ring (live or cancelled). */
  private head = 0
  /** Ticket the next arrival gets. */
  private tail = 0
  /** Ring position of the head ticket. */
  private headAt = 0
  private live = 0
  /** Payload of the entry most recently taken by `shift`. */
  shiftedHandler = 0
  shiftedA0 = 0
  shiftedRef: unknown = undefined

  constructor(capacity = 64) {
    if (!(capacity >= 4 && (capacity & (capacity - 1)) === 0)) {
      throw new RangeError(`ring capacity ${capacity} is not a power of two ≥ 4`)
    }
    this.handler = new Int32Array(capacity)
    this.a0 = new Float64Array(capacity)
    this.ref = Array.from({ length: capacity }, () => undefined as unknown)
    this.mask = capacity - 1
  }

  get size(): number {
    return this.live
  }

  push(handler: number, a0: number, ref: unknown, _priority: number): EventHandle {
    if (handler < 0) throw new RangeError(`bad handler id ${handler}`)
    if (this.tail - this.head > this.mask) this.grow()
    const ticket = this.tail++
    const i = (this.headAt + (ticket - this.head)) & this.mask
    this.handler[i] = handler
    this.a0[i] = a0
    this.ref[i] = ref
    this.live++
    return ticket as EventHandle
  }

  shift(): boolean {
    const mask = this.mask
    while (this.head !== this.tail) {
      const i = this.headAt
      this.headAt = (i + 1) & mask
      this.head++
      const handler = this.handler[i]!
      const ref = this.ref[i]
      this.ref[i] = undefined
      if (handler === CANCELLED) continue
      this.shiftedHandler = handler
      this.shiftedA0 = this.a0[i]!
      this.shiftedRef = ref
      this.live--
      return true
    }
    return false
  }

  cancel(handle: EventHandle): boolean {
    const ticket = handle as number
    if (!(ticket >= this.head && ticket < this.tail)) return false
    const i = (this.headAt + (ticket - this.head)) & this.mask
    if (this.handler[i] === CANCELLED) return false
    this.handler[i] = CANCELLED
    this.ref[i] = undefined
    this.live--
    return true
  }

  /** Doubles the ring, unrolling it so that the head moves to position 0. */
  private grow(): void {
    const capacity = (this.mask + 1) * 2
    if (capacity > RING_MAX) throw new RangeError(`waiting line ring beyond ${RING_MAX} entries`)
    const handler = new Int32Array(capacity)
    const a0 = new Float64Array(capacity)
    const ref = Array.from({ length: capacity }, () => undefined as unknown)
    const count = this.tail - this.head
    for (let k = 0; k < count; k++) {
      const from = (this.headAt + k) & this.mask
      handler[k] = this.handler[from]!
      a0[k] = this.a0[from]!
      ref[k] = this.ref[from]
    }
    this.handler = handler
    this.a0 = a0
    this.ref = ref
    this.mask = capacity - 1
    this.headAt = 0
  }
}
