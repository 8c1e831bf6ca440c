/**
 * Signals are what parties emit (DESIGN.md §2: parties → recorder). The bus counts each signal by
 * name, feeds it to the event-log digest in canonical form, and writes it to the trace sinks.
 */
import type { EventDigest } from "./digest.ts"
import type { Sink } from "./sink.ts"

export class SignalBus {
  private readonly counts = new Map<string, number>()

  constructor(
    private readonly digest: EventDigest | null,
    private readonly sinks: ReadonlyArray<Sink> = [],
  ) {}

  emit(timeUs: number, name: string, payload: unknown): void {
    this.counts.set(name, (this.counts.get(name) ?? 0) + 1)
    if (this.digest !== null) this.digest.recordSignal(timeUs, name, payload)
    if (this.sinks.length === 0) return
    const record = { tUs: timeUs, signal: name, payload }
    for (const sink of this.sinks) sink.write(record)
  }

  count(name: string): number {
    return this.counts.get(name) ?? 0
  }

  resetCounts(): void {
    this.counts.clear()
  }
}
