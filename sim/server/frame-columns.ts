/**
 * Time-series samples into columns for a frame (protocol 2, protocol.ts SeriesColumns): a run of
 * sample records of one series with the same numeric fields in the same order becomes one block,
 * its instants in `t` and one array per field, instead of one object per sample whose key names
 * were most of a frame's bytes. A sample that does not fit a block — a non-numeric field (the
 * units that go with every 64th sample), a field too many — stays a record, as does every other
 * record. The viewer turns the blocks back into records (viewer/src/frame-records.ts); the pair
 * is tested as encode∘decode = identity (test/sim/server/frame-columns.test.ts).
 */
import type { RecordLine } from "../recorder/sink.ts"
import { PROTOCOL_LIMITS, type SeriesColumns } from "./protocol.ts"

export interface ColumnarContent {
  readonly records: RecordLine[]
  readonly columns: SeriesColumns[]
}

interface Block {
  readonly series: string
  readonly fields: string[]
  readonly t: number[]
  readonly values: number[][]
}

/** The sample's numeric fields in key order, or null when it cannot go into a column block. */
const numericFields = (record: RecordLine): string[] | null => {
  if (typeof record.series !== "string" || typeof record.tUs !== "number") return null
  const fields: string[] = []
  for (const key in record) {
    if (key === "tUs" || key === "series") continue
    if (typeof record[key] !== "number") return null
    fields.push(key)
  }
  return fields.length > PROTOCOL_LIMITS.windowFieldsMax ? null : fields
}

const sameFields = (a: ReadonlyArray<string>, b: ReadonlyArray<string>): boolean =>
  a.length === b.length && a.every((f, i) => f === b[i])

/** Splits a frame's records into the records that stay and the samples in column blocks. */
export const toColumns = (records: ReadonlyArray<RecordLine>): ColumnarContent => {
  const kept: RecordLine[] = []
  const blocks: Block[] = []
  /** The block each series is filling: a sample whose fields differ starts another. */
  const open = new Map<string, Block>()
  for (const record of records) {
    const fields = numericFields(record)
    if (fields === null) {
      kept.push(record)
      continue
    }
    const series = record.series as string
    let block = open.get(series)
    if (block === undefined || !sameFields(block.fields, fields)) {
      block = { series, fields, t: [], values: fields.map(() => []) }
      blocks.push(block)
      open.set(series, block)
    }
    block.t.push(record.tUs as number)
    for (let i = 0; i < fields.length; i++) block.values[i]!.push(record[fields[i]!] as number)
  }
  return { records: kept, columns: blocks }
}
