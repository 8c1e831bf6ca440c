/**
 * Which (sender, nonce) pairs a receiver has accepted recently, in bounded memory. A replay is
 * only dangerous while it would still pass the time window: a message accepted at arrival time a
 * with |a − sentAt| ≤ w can pass the window again only until sentAt + w ≤ a + 2w. Simulated time
 * only moves forward, so entries leave in arrival order once a + 2w has passed, from a FIFO queue.
 */

export class ReplayWindow {
  private readonly seen = new Set<string>()
  private keys: string[] = []
  private arrivalsUs: number[] = []
  private head = 0

  constructor(
    private readonly windowUs: number,
    /** The most entries held at once; the verifier refuses work beyond it (STYLE.md rule 3). */
    readonly entriesMax: number,
  ) {
    if (!Number.isSafeInteger(windowUs) || windowUs < 0) throw new RangeError(`window ${windowUs} µs`)
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
    while (
      this.head < this.keys.length &&
      (this.arrivalsUs[this.head] as number) + 2 * this.windowUs < nowUs
    ) {
      this.seen.delete(this.keys[this.head] as string)
      this.head++
    }
    // Compact once the dead prefix dominates, so the arrays stay within about 2·entriesMax.
    if (this.head > 1024 && this.head * 2 > this.keys.length) {
      this.keys = this.keys.slice(this.head)
      this.arrivalsUs = this.arrivalsUs.slice(this.head)
      this.head = 0
    }
  }

  /** Forgets every entry (a receiver starting an independent exchange, issuance-job.ts). */
  clear(): void {
    this.seen.clear()
    this.keys = []
    this.arrivalsUs = []
    this.head = 0
  }

  /** Records a key; false (nothing recorded) when the window is full. */
  remember(key: string, nowUs: number): boolean {
    const last = this.arrivalsUs[this.arrivalsUs.length - 1]
    if (last !== undefined && nowUs < last) throw new RangeError(`time went back: ${nowUs} < ${last} µs`)
    if (this.seen.size >= this.entriesMax) return false
    this.seen.add(key)
    this.keys.push(key)
    this.arrivalsUs.push(nowUs)
    return true
  }
}
