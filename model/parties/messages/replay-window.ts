/**
 * Which (sender, nonce) pairs a receiver has accepted recently, in bounded memory. A replay is
 * only dangerous while it would still pass the time window: a message accepted at arrival time a
 * with |a − sentAt| ≤ w can pass the window again only until sentAt + w ≤ a + 2w. Simulated time
 * only moves forward, so entries leave in arrival order once a + 2w has passed, from a FIFO queue
 * (arrival-queue.ts).
 */

import { ArrivalQueue } from "./arrival-queue.ts"

export class ReplayWindow {
  private readonly seen = new Set<string>()
  private readonly queue: ArrivalQueue
  /** What an entry leaving the queue takes with it (one function for the window's life). */
  private readonly forget = (key: string): void => {
    this.seen.delete(key)
  }

  constructor(
    windowUs: number,
    /** The most entries held at once; the verifier refuses work beyond it (STYLE.md rule 3). */
    readonly entriesMax: number,
  ) {
    this.queue = new ArrivalQueue(windowUs)
    if (!Number.isSafeInteger(entriesMax) || entriesMax < 1) throw new RangeError(`entriesMax ${entriesMax}`)
  }

  get size(): number {
    return this.seen.size
  }

  has(key: string): boolean {
    return this.seen.has(key)
  }

  /** Forgets entries that can no longer pass the window at `nowUs`. */
  evict(nowUs: number): void {
    this.queue.evict(nowUs, this.forget)
  }

  /** Forgets every entry (a receiver starting an independent exchange, issuance-job.ts). */
  clear(): void {
    this.seen.clear()
    this.queue.clear()
  }

  /** Records a key; false (nothing recorded) when the window is full. */
  remember(key: string, nowUs: number): boolean {
    const last = this.queue.lastUs
    if (last !== undefined && nowUs < last) throw new RangeError(`time went back: ${nowUs} < ${last} µs`)
    if (this.seen.size >= this.entriesMax) return false
    this.seen.add(key)
    this.queue.push(key, nowUs)
    return true
  }
}
