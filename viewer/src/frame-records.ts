/**
 * A frame's records as the view folds them (protocol 2): the records it carries as they are, then
 * the time-series samples of its column blocks (sim/server/frame-columns.ts) back as records
 * `{ tUs, series, field: value, … }`, merged with the frame's own sample records (those the
 * server left out of the blocks, e.g. the ones carrying units) in time order per series, so a
 * series' samples reach the view in the order the run made them.
 */
import type { Frame, WireRecord } from "../../sim/server/protocol.ts"

export const frameRecords = (frame: Frame): ReadonlyArray<WireRecord> => {
  const columns = frame.columns
  if (columns === undefined || columns.length === 0) return frame.records
  const others: WireRecord[] = []
  const samples: WireRecord[] = []
  for (const r of frame.records) (typeof r.series === "string" ? samples : others).push(r)
  for (const block of columns)
    block.t.forEach((tUs, j) => {
      const record: Record<string, unknown> = { tUs, series: block.series }
      block.fields.forEach((field, i) => {
        record[field] = block.values[i]?.[j] ?? 0
      })
      samples.push(record)
    })
  // Stable: samples at one instant keep the order the server gave them.
  samples.sort((a, b) => (a.tUs as number) - (b.tUs as number))
  return [...others, ...samples]
}
