/**
 * Continuations of the event being processed: `ref.fire(a0)` calls that belong to the current
 * instant and run right after the current event's handler returns, in the order they were asked
 * for, before the kernel takes the next event from the heap. They are how a process starts and
 * how a released server reaches a waiting process (process.ts, resource.ts) without a heap round
 * trip, as a hand-written loop would do it: the raw M/M/c loop starts the next service inside the
 * departure event, and so does the process API.
 *
 * A FIFO ring of (reference, number) pairs that doubles when full, up to CONTINUATIONS_MAX pending
 * at once (STYLE.md rule 3: a runaway chain fails loudly instead of eating memory).
 */
import type { Firable } from "./kernel.ts"

export const CONTINUATIONS_MAX = 2 ** 24

export class Continuations {
  private refs: Array<Firable | undefined>
  private a0s: Float64Array
  private mask: number
  private head = 0
  /** Pending continuations. */
  size = 0

  constructor(capacity = 64) {
    if (!(capacity >= 4 && (capacity & (capacity - 1)) === 0)) {
      throw new RangeError(`continuation ring capacity ${capacity} is not a power of two ≥ 4`)
    }
    this.refs = Array.from({ length: capacity }, () => undefined as Firable | undefined)
    this.a0s = new Float64Array(capacity)
    this.mask = capacity - 1
  }

  push(ref: Firable, a0: number): void {
    if (this.size > this.mask) this.grow()
    const i = (this.head + this.size) & this.mask
    this.refs[i] = ref
    this.a0s[i] = a0
    this.size++
  }

  /** Runs every pending continuation, including those the running ones add, in FIFO order. */
  runAll(): void {
    while (this.size > 0) {
      const i = this.head
      const ref = this.refs[i]!
      const a0 = this.a0s[i]!
      this.refs[i] = undefined
      this.head = (i + 1) & this.mask
      this.size--
      ref.fire(a0)
    }
  }

  /** Doubles the ring, unrolling it so that the head moves to position 0. */
  private grow(): void {
    const capacity = (this.mask + 1) * 2
    if (capacity > CONTINUATIONS_MAX) throw new RangeError(`more than ${CONTINUATIONS_MAX} continuations`)
    const refs = Array.from({ length: capacity }, () => undefined as Firable | undefined)
    const a0s = new Float64Array(capacity)
    for (let k = 0; k < this.size; k++) {
      const from = (this.head + k) & this.mask
      refs[k] = this.refs[from]
      a0s[k] = this.a0s[from]!
    }
    this.refs = refs
    this.a0s = a0s
    this.mask = capacity - 1
    this.head = 0
  }
}
