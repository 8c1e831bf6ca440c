/** A sink that keeps the last `recordsMax` records in memory and counts the ones it let go. */
import type { RecordLine, Sink } from "./sink.ts"

export class MemorySink implements Sink {
  readonly records: RecordLine[] = []
  dropped = 0

  constructor(private readonly recordsMax = 1_000_000) {}

  write(record: RecordLine): void {
    if (this.records.length >= this.recordsMax) {
      this.records.shift()
      this.dropped++
    }
    this.records.push(record)
  }

  flush(): void {}

  close(): void {}
}
