/**
 * A sink that appends one JSON object per line to a file. Lines are buffered and written whole,
 * at the latest every `flushEveryRecords` records or `flushBytes` bytes, so a run that is killed
 * leaves a file of complete lines up to its last flush (DESIGN.md §4: a killed run leaves readable
 * results). Writes are synchronous: the data plane has no event loop to yield to.
 */
import { closeSync, openSync, writeSync } from "node:fs"
import type { RecordLine, Sink } from "./sink.ts"

export interface NdjsonSinkOptions {
  readonly path: string
  readonly flushEveryRecords?: number
  readonly flushBytes?: number
}

export class NdjsonSink implements Sink {
  private fd: number
  private pending: string[] = []
  private pendingBytes = 0
  private readonly flushEveryRecords: number
  private readonly flushBytes: number

  constructor(options: NdjsonSinkOptions) {
    this.fd = openSync(options.path, "a")
    this.flushEveryRecords = options.flushEveryRecords ?? 1_000
    this.flushBytes = options.flushBytes ?? 64 * 1024
  }

  write(record: RecordLine): void {
    if (this.fd < 0) throw new Error("write to a closed NDJSON sink")
    const line = `${JSON.stringify(record)}\n`
    this.pending.push(line)
    this.pendingBytes += line.length
    if (this.pending.length >= this.flushEveryRecords || this.pendingBytes >= this.flushBytes) this.flush()
  }

  flush(): void {
    if (this.pending.length === 0 || this.fd < 0) return
    writeSync(this.fd, this.pending.join(""))
    this.pending = []
    this.pendingBytes = 0
  }

  close(): void {
    if (this.fd < 0) return
    this.flush()
    closeSync(this.fd)
    this.fd = -1
  }
}
