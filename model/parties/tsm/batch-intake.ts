/**
 * The TSM side of the file interface (batch-file.ts): a bank's batch file becomes issuance orders.
 * A record is refused when its line is malformed or when it orders an application that is not that
 * bank's card (a bank may only order its own cards: SP authorization); every other record is
 * submitted as an order, which the order machine makes idempotent by order id, so a file sent
 * twice starts nothing twice. The receipt and a `batch.received` signal report the outcome.
 */
import { type LineError, parseBatchFile } from "./batch-file.ts"
import type { PlatformTsm } from "./platform-tsm.ts"

export interface BatchReceipt {
  readonly bankId: string
  readonly batchId: string
  readonly accepted: number
  /** Refused records, or the one line that refused the whole file. */
  readonly refused: ReadonlyArray<LineError>
  readonly fileRefused: boolean
}

export const receiveBatch = (tsm: PlatformTsm, text: string): BatchReceipt => {
  const port = tsm.institution.port
  const parsed = parseBatchFile(tsm.institution.options.crypto, text)
  if (!parsed.ok) {
    port.emit("batch.refused", {
      tsm: tsm.institution.id,
      line: parsed.error.line,
      reason: parsed.error.reason,
    })
    return { bankId: "", batchId: "", accepted: 0, refused: [parsed.error], fileRefused: true }
  }
  const { file } = parsed
  const refused = [...file.refused]
  let accepted = 0
  for (const record of file.records) {
    const app = tsm.catalogue.get(record.appId)
    if (app === undefined || app.category !== "bank-card" || app.bankId !== file.bankId) {
      refused.push({ line: record.line, reason: `${record.appId} is not a card of ${file.bankId}` })
      continue
    }
    const { line: _line, ...order } = record
    tsm.submit({ ...order, kind: "issue", waitUs: 0, oldSeId: "" })
    accepted++
  }
  const receipt = { bankId: file.bankId, batchId: file.batchId, accepted, refused, fileRefused: false }
  port.emit("batch.received", { tsm: tsm.institution.id, ...receipt, refused: refused.length })
  return receipt
}
