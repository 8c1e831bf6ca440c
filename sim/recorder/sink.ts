/** Where records go (DESIGN.md §4 outputs): memory for tests, NDJSON files, broadcast to viewers. */
export type RecordLine = Readonly<Record<string, unknown>>

export interface Sink {
  write(record: RecordLine): void
  /** Makes everything written so far durable or visible. */
  flush(): void
  close(): void
}
