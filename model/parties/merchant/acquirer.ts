/**
 * A bank's acquiring side for its merchants (DESIGN.md §1): it sends each online request to
 * UnionPay and waits at most `timeoutUs` (longer than the switch's own timeout, so normally the
 * switch answers 91 first); when UnionPay cannot be reached (outage) the terminal is declined at
 * once. Approved online transactions and the terminals' offline TCs are kept for presentment at
 * the daily cut-off; the merchant is credited only when clearing confirms (clearing-house.ts).
 */
import type { EventHandle, Link, Port } from "../../../sim/kernel/port.ts"
import type { TcEvidence } from "../bank/tc-verifier.ts"
import type { ClearingRecord } from "../unionpay/clearing-file.ts"
import {
  type AuthRequest,
  type AuthResponse,
  RESPONSE_CODE,
  type SwitchMessage,
} from "../unionpay/money-messages.ts"

export type AcquirerVerdict = AuthResponse["code"] | "timeout" | "unionpay-unreachable"

interface Waiting {
  readonly request: AuthRequest
  readonly payee: string
  readonly done: (verdict: AcquirerVerdict) => void
  timer: EventHandle | null
}

export interface Presentment {
  readonly record: ClearingRecord
  /** The journaled TC for an offline record. */
  readonly evidence: TcEvidence | null
}

export class Acquirer {
  toUnionPay: Link<SwitchMessage> | null = null
  /** Fault injection at presentment (a wrong amount, a duplicate); identity when null. */
  presentHook: ((record: ClearingRecord) => ReadonlyArray<ClearingRecord>) | null = null
  private readonly waiting = new Map<string, Waiting>()
  private presentments: Presentment[] = []
  private readonly expire

  constructor(
    readonly bank: string,
    private readonly port: Port,
    private readonly timeoutUs: number,
  ) {
    this.expire = port.register<Waiting>(`acquirer.timeout:${bank}`, (_a0, w) => this.onTimeout(w))
  }

  submit(request: AuthRequest, payee: string, done: (verdict: AcquirerVerdict) => void): void {
    const sent = this.toUnionPay === null ? "out" : this.port.send(this.toUnionPay, request)
    if (sent !== "sent" && sent !== "lost") {
      done("unionpay-unreachable")
      return
    }
    const w: Waiting = { request, payee, done, timer: null }
    w.timer = this.port.after(this.timeoutUs, this.expire, 0, w)
    this.waiting.set(request.id, w)
  }

  fromUnionPay(message: SwitchMessage): void {
    if (message.kind !== "auth-response") return
    const w = this.waiting.get(message.id)
    if (w === undefined) return
    this.waiting.delete(message.id)
    if (w.timer !== null) this.port.cancel(w.timer)
    if (message.code === RESPONSE_CODE.approved) this.present(this.onlineRecord(w, w.request.amountFen), null)
    w.done(message.code)
  }

  /** Queues a record for the next cut-off (the 差错 tests also present faulty ones through it). */
  present(record: ClearingRecord, evidence: TcEvidence | null): void {
    const records = this.presentHook === null ? [record] : this.presentHook(record)
    for (const r of records) this.presentments.push({ record: r, evidence })
  }

  /** The cut-off: hands over everything presented since the last one. */
  takePresentments(): ReadonlyArray<Presentment> {
    const out = this.presentments
    this.presentments = []
    return out
  }

  onlineRecord(w: { request: AuthRequest; payee: string }, amountFen: number): ClearingRecord {
    const r = w.request
    return { id: r.id, kind: "online", acquirer: r.acquirer, issuer: r.issuer, amountFen, payee: w.payee }
  }

  private onTimeout(w: Waiting): void {
    w.timer = null
    if (!this.waiting.delete(w.request.id)) return
    const link = this.toUnionPay
    if (link !== null)
      this.port.send(link, {
        kind: "reversal",
        id: w.request.id,
        amountFen: w.request.amountFen,
        reason: "acquirer-timeout",
      })
    w.done("timeout")
  }
}
