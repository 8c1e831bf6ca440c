/**
 * An NDJSON recording that ends compressed (`run.ndjson.gz`): lines go to `<path>.part` as plain
 * NDJSON while the run goes (so a killed run leaves a readable file, DESIGN.md §4), and closing
 * compresses the whole file into `<path>` as one gzip member — one member, because browsers'
 * DecompressionStream stops at the end of the first — and removes the part file.
 */
import { readFileSync, rmSync, writeFileSync } from "node:fs"
import { gzipSync } from "node:zlib"
import { NdjsonSink, type NdjsonSinkOptions } from "./ndjson-sink.ts"

export class GzipNdjsonSink extends NdjsonSink {
  private readonly finalPath: string
  private closed = false

  constructor(options: NdjsonSinkOptions) {
    super({ ...options, path: `${options.path}.part` })
    this.finalPath = options.path
  }

  override close(): void {
    if (this.closed) return
    this.closed = true
    super.close()
    const part = `${this.finalPath}.part`
    writeFileSync(this.finalPath, gzipSync(readFileSync(part), { level: 9 }))
    rmSync(part)
  }
}

/** The recorder for a run file: compressed when the path ends in `.gz`, plain NDJSON otherwise. */
export const runFileSink = (path: string): NdjsonSink =>
  path.endsWith(".gz") ? new GzipNdjsonSink({ path }) : new NdjsonSink({ path })
