/**
 * A sink that hands every record to its current subscribers (the ws server, a live chart). The
 * number of subscribers is bounded; a subscriber that throws is removed rather than stopping the
 * run, because a viewer going away is an operating outcome.
 */
import type { RecordLine, Sink } from "./sink.ts"

export type Subscriber = (record: RecordLine) => void

export class BroadcastSink implements Sink {
  private readonly subscribers = new Set<Subscriber>()

  constructor(private readonly subscribersMax = 64) {}

  get subscriberCount(): number {
    return this.subscribers.size
  }

  /** Adds a subscriber; returns the function that removes it, or null when full. */
  subscribe(subscriber: Subscriber): (() => void) | null {
    if (this.subscribers.size >= this.subscribersMax) return null
    this.subscribers.add(subscriber)
    return () => this.subscribers.delete(subscriber)
  }

  write(record: RecordLine): void {
    for (const s of this.subscribers) {
      try {
        s(record)
      } catch {
        this.subscribers.delete(s)
      }
    }
  }

  flush(): void {}

  close(): void {
    this.subscribers.clear()
  }
}
