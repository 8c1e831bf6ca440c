/**
 * Accepted keys in the order they were remembered, each with its arrival instant, leaving from the
 * front once they can no longer be replayed: a key accepted at a passes a w-window again only
 * until a + 2w (replay-window.ts). Both replay memories keep this queue — one receiver's, in
 * arrival order (ReplayWindow), and the pilot's across the byte plane's jobs, in fold order
 * (model/world/pilot/byte-level/cross-job-replays.ts); each keeps its own index of the keys, which
 * `evict` tells of every entry that leaves. The dead prefix is dropped once it dominates, so the
 * arrays stay within about twice the entries held.
 */
export class ArrivalQueue {
  private keys: string[] = []
  private arrivalsUs: number[] = []
  private head = 0

  constructor(readonly windowUs: number) {
    if (!Number.isSafeInteger(windowUs) || windowUs < 0) throw new RangeError(`window ${windowUs} µs`)
  }

  /** Entries held (pushed and not evicted). */
  get size(): number {
    return this.keys.length - this.head
  }

  /** The newest arrival still in the arrays (evicted or not, until they are compacted); undefined when none. */
  get lastUs(): number | undefined {
    return this.arrivalsUs[this.arrivalsUs.length - 1]
  }

  push(key: string, atUs: number): void {
    this.keys.push(key)
    this.arrivalsUs.push(atUs)
  }

  /** Takes off the front every entry no arrival at or after `horizonUs` can replay (a + 2w < horizon). */
  evict(horizonUs: number, leave: (key: string, atUs: number) => void): void {
    while (
      this.head < this.keys.length &&
      (this.arrivalsUs[this.head] as number) + 2 * this.windowUs < horizonUs
    ) {
      leave(this.keys[this.head] as string, this.arrivalsUs[this.head] as number)
      this.head++
    }
    if (this.head > 1024 && this.head * 2 > this.keys.length) {
      this.keys = this.keys.slice(this.head)
      this.arrivalsUs = this.arrivalsUs.slice(this.head)
      this.head = 0
    }
  }

  clear(): void {
    this.keys = []
    this.arrivalsUs = []
    this.head = 0
  }
}
