/**
 * A local bank's CMS as the scenario drives it: issuance orders of its customers collect during an
 * interval and go to the 贵州通 TSM as one batch file (model/parties/tsm/batch-file.ts) at the end
 * of it; the TSM's receipt is kept for the summary. A timer runs only while orders are waiting.
 */
import { writeBatchFile } from "../../parties/tsm/batch-file.ts"
import { type BatchReceipt, receiveBatch } from "../../parties/tsm/batch-intake.ts"
import type { OrderRequest } from "../../parties/tsm/order-request.ts"
import type { World } from "./world.ts"

type Flush = { readonly batches: BankBatches }

export class BankBatches {
  readonly receipts: BatchReceipt[] = []
  private pending: OrderRequest[] = []
  private readonly flush

  constructor(
    private readonly world: World,
    private readonly bankId: string,
    private readonly intervalUs: number,
  ) {
    if (intervalUs < 1) throw new RangeError(`batch interval ${intervalUs} µs`)
    this.flush = world.port.register<Flush>(`bank.batch:${bankId}`, (_a0, f) => f.batches.send())
  }

  add(request: OrderRequest): void {
    if (this.pending.length === 0) {
      const now = this.world.port.now()
      const nextUs = (Math.floor(now / this.intervalUs) + 1) * this.intervalUs
      this.world.port.after(nextUs - now, this.flush, 0, { batches: this })
    }
    this.pending.push(request)
  }

  private send(): void {
    const records = this.pending
    this.pending = []
    const batchId = `${this.bankId}-${this.receipts.length + 1}`
    const text = writeBatchFile(this.world.crypto, this.bankId, batchId, records)
    this.receipts.push(receiveBatch(this.world.gzt, text))
  }
}
