/**
 * The pending-event set: a 4-ary min-heap on typed arrays ordered by (time, priority, insertion
 * sequence), the total order that makes a run deterministic (DESIGN.md §4, SimPy's core.py key).
 *
 * Priority and sequence are packed into one double, `(priority - PRIORITY_MIN) · 2^42 + sequence`,
 * so a comparison is at most two float compares. A 4-ary heap halves the depth of a binary one and
 * keeps siblings close together, which is what dominates with a million pending events.
 *
 * The heap itself holds only (time, slot) pairs, interleaved in one Float64Array so that a sift
 * moves one 16-byte pair per level and four siblings span 64 bytes. The packed (priority, sequence)
 * key lives with the slot and is read only when two times tie, which is rare with µs clocks, so
 * the common comparison touches nothing but the pair array.
 *
 * The entry returned by `pop` stays at the root, marked stale, until the next operation: a `push`
 * from the event's handler then replaces it and sifts down once, instead of removing it (sift
 * down) and inserting (sift up). Most events schedule a successor, so this halves their heap work.
 * Keys are unique, so the pop order is a function of the pending set alone and does not depend
 * on how the heap happens to be arranged.
 *
 * Each entry owns a slot holding its key and payload (handler id, one number, one reference).
 * Cancellation is lazy: the slot is marked and skipped when it reaches the top, so sifting never
 * has to maintain a position index. A handle is `generation · 2^26 + slot`; the generation is
 * bumped whenever a slot is released, so a stale handle can never cancel a later event.
 */
import type { Us } from "./time.ts"

export const PRIORITY_MIN = -1024
export const PRIORITY_MAX = 1023
const PRIORITY_SPAN = 2 ** 42
/** Sequences stay below 2^42 (4.4 · 10^12 events per run) so the packed key stays exact. */
const SEQUENCE_LIMIT = 2 ** 42
const SLOT_BITS_SCALE = 2 ** 26
/** At most 2^26 (67 M) events may be pending at once; the population keeps one per active user. */
export const PENDING_MAX = SLOT_BITS_SCALE
const GENERATION_LIMIT = 2 ** 27
const CANCELLED = -1

/** An opaque number that identifies one scheduled event for `cancel`. */
export type EventHandle = number & { readonly EventHandle: unique symbol }

export class EventHeap {
  /** Pair i of the heap: time at 2i, slot at 2i + 1. */
  private pairs: Float64Array
  private key: Float64Array
  /** Slot payloads, read by the kernel right after `pop`. */
  handler: Int32Array
  a0: Float64Array
  ref: unknown[]
  private generation: Uint32Array
  /** Released slots form a stack linked through their `a0`, so no separate free list is kept. */
  private freeHead = -1
  private slotsUsed = 0
  private n = 0
  /** True while pair 0 is the entry last popped, kept for `push` to replace. */
  private topStale = false
  private live = 0
  private sequence = 0

  constructor(capacity = 1024) {
    if (!(capacity >= 4 && capacity <= PENDING_MAX)) throw new RangeError(`bad capacity ${capacity}`)
    this.pairs = new Float64Array(2 * capacity)
    this.key = new Float64Array(capacity)
    this.handler = new Int32Array(capacity)
    this.a0 = new Float64Array(capacity)
    this.ref = Array.from({ length: capacity }, () => undefined as unknown)
    this.generation = new Uint32Array(capacity)
  }

  /** Live (not cancelled) pending events. */
  get size(): number {
    return this.live
  }

  /** Bytes held by the typed arrays and the reference array, for the bytes-per-event budget. */
  get capacityBytes(): number {
    const c = this.key.length
    return c * (16 + 8 + 4 + 8 + 8 + 4)
  }

  push(timeUs: number, priority: number, handler: number, a0: number, ref: unknown): EventHandle {
    if (priority < PRIORITY_MIN || priority > PRIORITY_MAX) throw new RangeError(`priority ${priority}`)
    if (this.n === this.key.length) this.grow()
    let slot = this.freeHead
    if (slot >= 0) this.freeHead = this.a0[slot]!
    else slot = this.slotsUsed++
    const seq = this.sequence++
    if (seq >= SEQUENCE_LIMIT) throw new RangeError("sequence space exhausted")
    const k = (priority - PRIORITY_MIN) * PRIORITY_SPAN + seq
    this.key[slot] = k
    this.handler[slot] = handler
    this.a0[slot] = a0
    this.ref[slot] = ref
    if (this.topStale) {
      this.topStale = false
      this.siftDown(timeUs, slot, this.n)
    } else {
      this.siftUp(this.n++, timeUs, k, slot)
    }
    this.live++
    return (this.generation[slot]! * SLOT_BITS_SCALE + slot) as EventHandle
  }

  /** Marks a pending event as cancelled; false if it already ran or was cancelled. */
  cancel(handle: EventHandle): boolean {
    const slot = handle % SLOT_BITS_SCALE
    const gen = (handle - slot) / SLOT_BITS_SCALE
    if (slot >= this.slotsUsed || this.generation[slot] !== gen || this.handler[slot] === CANCELLED) {
      return false
    }
    this.handler[slot] = CANCELLED
    this.ref[slot] = undefined
    this.live--
    return true
  }

  /** Time of the earliest live event, or -1 when none is pending. */
  peekTime(): number {
    this.dropCancelledTop()
    return this.n === 0 ? -1 : this.pairs[0]!
  }

  /**
   * Removes the earliest live event and returns its slot (or -1). The caller reads the payload
   * and must hand the slot back with `release` before scheduling from the event's handler.
   */
  pop(): number {
    return this.popBefore(Number.POSITIVE_INFINITY)
  }

  /** Like `pop`, but only if the earliest live event lies strictly before `untilUs`. */
  popBefore(untilUs: number): number {
    const pairs = this.pairs
    if (this.topStale) this.dropStaleTop()
    while (this.n > 0) {
      const slot = pairs[1]!
      if (this.handler[slot] === CANCELLED) {
        this.removeTop()
        this.release(slot)
        continue
      }
      const t = pairs[0]!
      if (t >= untilUs) return -1
      this.lastTimeUs = t as Us
      this.topStale = true
      this.live--
      return slot
    }
    return -1
  }

  /** The time of the entry most recently returned by `pop`. */
  lastTimeUs: Us = 0 as Us

  release(slot: number): void {
    this.ref[slot] = undefined
    const gen = this.generation[slot]! + 1
    this.generation[slot] = gen === GENERATION_LIMIT ? 0 : gen
    this.a0[slot] = this.freeHead
    this.freeHead = slot
  }

  private dropCancelledTop(): void {
    if (this.topStale) this.dropStaleTop()
    while (this.n > 0) {
      const slot = this.pairs[1]!
      if (this.handler[slot] !== CANCELLED) return
      this.removeTop()
      this.release(slot)
    }
  }

  private dropStaleTop(): void {
    this.topStale = false
    this.removeTop()
  }

  private removeTop(): void {
    const pairs = this.pairs
    const last = --this.n
    if (last > 0) this.siftDown(pairs[2 * last]!, pairs[2 * last + 1]!, last)
  }

  private siftUp(start: number, t: number, k: number, slot: number): void {
    const pairs = this.pairs
    const key = this.key
    let i = start
    while (i > 0) {
      const p = (i - 1) >> 2
      const pt = pairs[2 * p]!
      if (pt < t) break
      const ps = pairs[2 * p + 1]!
      if (pt === t && key[ps]! < k) break
      pairs[2 * i] = pt
      pairs[2 * i + 1] = ps
      i = p
    }
    pairs[2 * i] = t
    pairs[2 * i + 1] = slot
  }

  /** Moves the hole at the root down to where (t, slot) belongs among the first n entries. */
  private siftDown(t: number, slot: number, n: number): void {
    const pairs = this.pairs
    const key = this.key
    let i = 0
    for (;;) {
      const first = 4 * i + 1
      if (first >= n) break
      let m = first
      let mt = pairs[2 * first]!
      const end = Math.min(first + 4, n)
      for (let c = first + 1; c < end; c++) {
        const ct = pairs[2 * c]!
        if (ct < mt || (ct === mt && key[pairs[2 * c + 1]!]! < key[pairs[2 * m + 1]!]!)) {
          m = c
          mt = ct
        }
      }
      if (t < mt || (t === mt && key[slot]! < key[pairs[2 * m + 1]!]!)) break
      pairs[2 * i] = mt
      pairs[2 * i + 1] = pairs[2 * m + 1]!
      i = m
    }
    pairs[2 * i] = t
    pairs[2 * i + 1] = slot
  }

  private grow(): void {
    const c = this.key.length * 2
    if (c > PENDING_MAX) throw new RangeError(`more than ${PENDING_MAX} pending events`)
    const widenF = (a: Float64Array, length: number) => {
      const b = new Float64Array(length)
      b.set(a)
      return b
    }
    const widenI = (a: Int32Array) => {
      const b = new Int32Array(c)
      b.set(a)
      return b
    }
    this.pairs = widenF(this.pairs, 2 * c)
    this.key = widenF(this.key, c)
    this.a0 = widenF(this.a0, c)
    this.handler = widenI(this.handler)
    const gen = new Uint32Array(c)
    gen.set(this.generation)
    this.generation = gen
    for (let i = this.ref.length; i < c; i++) this.ref.push(undefined)
  }
}
