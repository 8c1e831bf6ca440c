/**
 * UnionPay's daily clearing and settlement (DESIGN.md §1 "Money movement"), run at the cut-off:
 * 1. collect every acquirer's presentments (online approvals, journaled offline TCs, transfers,
 *    chargebacks);
 * 2. send each issuer its file (TWIN-CLR-1, clearing-file.ts); a file whose digest fails is
 *    fetched again (差错 `file-corrupted` → `file-refetched`);
 * 3. each issuer reconciles its online records against its host (reconciliation.ts) and verifies
 *    each TC's cryptogram; every discrepancy gets its documented 差错 outcome;
 * 4. the corrected records clear: TCs move from the e-cash float to the scheme payable, receivers
 *    credit their merchants or beneficiaries;
 * 5. settlement moves each bank's net position between reserves (positions sum to zero).
 * A stand-in approval whose advice the issuer has not yet posted is money in flight: its record is
 * held over to the next cycle, and the issuer does not expect it yet (stand-in.ts).
 * The cycle assumes the twin's quiet window before the cut-off (no authorization in flight); the
 * scenario's traffic respects it.
 */
import type { Crypto } from "../../crypto/crypto.ts"
import {
  type ClearingSignal,
  type DiscrepancySignal,
  MONEY_SIGNAL,
  type TcSignal,
} from "../../signals/money-signals.ts"
import type { Bank, MoneyPort } from "../bank/bank.ts"
import type { Acquirer, Presentment } from "../merchant/acquirer.ts"
import { type ClearingRecord, encodeClearingFile, parseClearingFile } from "./clearing-file.ts"
import { correctedRecords, ERROR_OUTCOME, netPositions, reconcile } from "./reconciliation.ts"
import type { UnionPaySwitch } from "./switch.ts"

export interface CycleFaults {
  /** Banks whose first copy of the file arrives corrupted (one character changed). */
  readonly corruptFileFor: ReadonlySet<string>
}

export interface CycleReport {
  readonly cycle: number
  readonly settled: ReadonlyArray<ClearingRecord>
  readonly discrepancies: ReadonlyArray<DiscrepancySignal>
  readonly positions: ReadonlyMap<string, number>
}

export class ClearingHouse {
  /** Settled online records by id, so a later chargeback finds the merchant to debit. */
  private readonly settledOnline = new Map<string, ClearingRecord>()
  /** Presentments of stand-in approvals still waiting for their advice to post. */
  private heldOver: Presentment[] = []

  constructor(
    private readonly port: MoneyPort,
    private readonly crypto: Crypto,
    private readonly banks: ReadonlyMap<string, Bank>,
    private readonly acquirers: ReadonlyArray<Acquirer>,
    private readonly unionpay: UnionPaySwitch,
  ) {}

  runCycle(cycle: number, faults: CycleFaults): CycleReport {
    const all = [...this.heldOver, ...this.acquirers.flatMap((a) => a.takePresentments())]
    const waiting = (p: Presentment) =>
      p.record.kind === "online" && this.unionpay.adviceOutstanding(p.record.id)
    this.heldOver = all.filter(waiting)
    const presentments = all.filter((p) => !waiting(p))
    this.unionpay.takeForClearing()
    const evidence = new Map(
      presentments.flatMap((p) => (p.evidence === null ? [] : [[p.record.id, p.evidence] as const])),
    )
    const discrepancies: DiscrepancySignal[] = []
    const settled: ClearingRecord[] = []
    for (const bank of this.banks.values()) {
      const file = this.deliverFile(cycle, bank, presentments, faults, discrepancies)
      settled.push(...this.issuerCorrections(bank, file, evidence, discrepancies))
    }
    this.unionpay.closeStaleReversals()
    for (const r of settled) this.receive(r)
    const positions = netPositions(settled)
    this.settle(settled, positions)
    const signal: ClearingSignal = {
      cycle,
      positions: Object.fromEntries(positions),
      records: settled.length,
    }
    this.port.emit(MONEY_SIGNAL.clearing, signal)
    return { cycle, settled, discrepancies, positions }
  }

  /** The issuer's file; a corrupted copy is detected by its digest and fetched again. */
  private deliverFile(
    cycle: number,
    bank: Bank,
    presentments: ReadonlyArray<Presentment>,
    faults: CycleFaults,
    out: DiscrepancySignal[],
  ): ReadonlyArray<ClearingRecord> {
    const records = presentments.map((p) => p.record).filter((r) => this.payerOf(r) === bank.id)
    const text = encodeClearingFile(this.crypto, { cycle, bank: bank.id, records })
    if (faults.corruptFileFor.has(bank.id)) {
      const corrupted = corrupt(text)
      const parsed = parseClearingFile(this.crypto, corrupted)
      if (!parsed.ok) this.discrepancy(out, "file-corrupted", `cycle-${cycle}`, bank.id)
    }
    const parsed = parseClearingFile(this.crypto, text)
    if (!parsed.ok)
      throw new Error(`${bank.id}: UnionPay's own file does not parse (line ${parsed.error.line})`)
    return parsed.value.records
  }

  /** Reconciliation, TC checks and 差错 outcomes at one payer bank; returns what it settles. */
  private issuerCorrections(
    bank: Bank,
    records: ReadonlyArray<ClearingRecord>,
    evidence: ReadonlyMap<string, Presentment["evidence"]>,
    out: DiscrepancySignal[],
  ): ReadonlyArray<ClearingRecord> {
    const approved = new Map(
      bank.host
        .approvedOpen()
        .filter((r) => !this.unionpay.adviceOutstanding(r.id))
        .map((r) => [r.id, r.amountFen] as const),
    )
    const found = reconcile(approved, records)
    for (const d of found) {
      this.discrepancy(out, d.kind, d.id, bank.id)
      if (d.kind === "missing-in-clearing") this.reverseAtIssuer(bank, d.id, d.amountFen)
    }
    const online = correctedRecords(records, found)
    for (const r of online) bank.host.settle(r.id)
    const others = records.filter((r) => r.kind !== "online")
    const tcs = others.filter(
      (r) => r.kind === "offline-tc" && this.clearTc(bank, r, evidence.get(r.id) ?? null, out),
    )
    const chargebacks = others.filter((r) => r.kind === "chargeback" && this.chargeBack(bank, r))
    return [...online, ...tcs, ...chargebacks, ...others.filter((r) => r.kind === "transfer")]
  }

  /** A dispute the issuer won: the acquirer takes the amount back from the merchant it credited. */
  private chargeBack(acquirer: Bank, r: ClearingRecord): boolean {
    const original = this.settledOnline.get(r.id.replace(/^cb:/, ""))
    if (original === undefined) return false
    const debit = acquirer.post(`chargeback:${r.id}`, [
      { account: original.payee, deltaFen: -r.amountFen },
      { account: "scheme-payable", deltaFen: r.amountFen },
    ])
    if (debit.ok)
      this.port.emit(MONEY_SIGNAL.auth, {
        id: original.id,
        issuer: r.issuer,
        acquirer: r.acquirer,
        amountFen: r.amountFen,
        state: "disputed",
      })
    return debit.ok
  }

  private reverseAtIssuer(bank: Bank, id: string, amountFen: number): void {
    bank.onSwitchMessage({ kind: "reversal", id, amountFen, reason: "late-response" })
    this.unionpay.closeByReconciliation(id)
  }

  /** Verifies a TC; a genuine one moves from the e-cash float to the scheme payable. */
  private clearTc(
    bank: Bank,
    r: ClearingRecord,
    ev: Presentment["evidence"],
    out: DiscrepancySignal[],
  ): boolean {
    const good = ev !== null && ev.amountFen === r.amountFen && bank.verifyTc(ev)
    const tc: TcSignal = {
      id: r.id,
      issuer: r.issuer,
      acquirer: r.acquirer,
      amountFen: r.amountFen,
      state: good ? "cleared" : "rejected",
    }
    if (good)
      bank.mustPost(`tc:${r.id}`, [
        { account: "ecash-float", deltaFen: -r.amountFen },
        { account: "scheme-payable", deltaFen: r.amountFen },
      ])
    else this.discrepancy(out, "bad-tc", r.id, bank.id)
    this.port.emit(MONEY_SIGNAL.tc, tc)
    return good
  }

  /** The receiving bank books the claim on the scheme and credits the payee (or, for a chargeback, the issuer's customer). */
  private receive(r: ClearingRecord): void {
    const receiver = this.banks.get(r.kind === "chargeback" ? r.issuer : r.acquirer)
    if (receiver === undefined) throw new Error(`no bank ${r.acquirer}`)
    receiver.mustPost(`clear:${r.id}`, [
      { account: "scheme-receivable", deltaFen: r.amountFen },
      { account: r.payee, deltaFen: r.amountFen },
    ])
    if (r.kind === "online") this.settledOnline.set(r.id, r)
    if (r.kind === "online")
      this.port.emit(MONEY_SIGNAL.auth, {
        id: r.id,
        issuer: r.issuer,
        acquirer: r.acquirer,
        amountFen: r.amountFen,
        state: "settled",
      })
  }

  private settle(records: ReadonlyArray<ClearingRecord>, positions: ReadonlyMap<string, number>): void {
    const payable = new Map<string, number>()
    const receivable = new Map<string, number>()
    for (const r of records) {
      const payer = this.payerOf(r)
      const receiver = r.kind === "chargeback" ? r.issuer : r.acquirer
      payable.set(payer, (payable.get(payer) ?? 0) + r.amountFen)
      receivable.set(receiver, (receivable.get(receiver) ?? 0) + r.amountFen)
    }
    for (const [id, net] of positions) {
      const bank = this.banks.get(id)!
      bank.mustPost(`settle:${id}`, [
        { account: "reserve", deltaFen: net },
        { account: "scheme-payable", deltaFen: -(payable.get(id) ?? 0) },
        { account: "scheme-receivable", deltaFen: -(receivable.get(id) ?? 0) },
      ])
    }
  }

  private payerOf(r: ClearingRecord): string {
    return r.kind === "chargeback" ? r.acquirer : r.issuer
  }

  private discrepancy(
    out: DiscrepancySignal[],
    kind: keyof typeof ERROR_OUTCOME,
    ref: string,
    bank: string,
  ): void {
    const d: DiscrepancySignal = { kind, ref, bank, outcome: ERROR_OUTCOME[kind] }
    out.push(d)
    this.port.emit(MONEY_SIGNAL.discrepancy, d)
  }
}

/** Changes one digit of the first record line (or the header), as a line error would. */
const corrupt = (text: string): string => {
  const at = text.search(/[0-9]/)
  const digit = text.charCodeAt(at) - 48
  return `${text.slice(0, at)}${(digit + 1) % 10}${text.slice(at + 1)}`
}
