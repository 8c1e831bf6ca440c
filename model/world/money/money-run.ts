/**
 * One money run (issue 6): builds the world, issues the cards, schedules `transactions` flows over
 * `days` days inside the daily traffic window, runs UnionPay's cut-off each day, drains every
 * timer, runs a final cycle, and returns the summary (per-kind counts and values, the audit's
 * checks and violations, the pair check of every ledger against the audit, the digest).
 *
 * The mix is CALIBRATION.md §3.1's suggested count mix (an assumption there, consistent with the
 * pilot's ~10,000 yuan average ticket), extended with the seed's self-service kinds; each kind's
 * amount is uniform in the range the table gives.
 */

import type { HandlerId } from "../../../sim/kernel/kernel.ts"
import { US_PER_DAY, US_PER_HOUR } from "../../../sim/kernel/time.ts"
import { type Stream, streamOf } from "../../../sim/rng/stream.ts"
import type { MoneyAuditReport } from "../../audit/money-audit.ts"
import type { Bank } from "../../parties/bank/bank.ts"
import { ECASH_LIMIT_FEN } from "../../parties/bank/cms.ts"
import { type Payee, payeesOf } from "../../parties/provider/payees.ts"
import type { ClearingRecord } from "../../parties/unionpay/clearing-file.ts"
import type { DiscrepancySignal, FlowKind, FlowSignal } from "../../signals/money-signals.ts"
import { MONEY_SIGNAL } from "../../signals/money-signals.ts"
import { type Holder, issueHolders, issueOne } from "./money-cards.ts"
import { ecashLoad, type FlowContext, flowDone, payAccount, purchase } from "./money-flows.ts"
import { buildMoneyWorld, type MoneyOptions, type MoneyWorld, TIMING } from "./money-world.ts"

const Y = 100
/** [kind, share in permille, amount range in fen]. */
export const MIX: ReadonlyArray<readonly [FlowKind, number, number, number]> = [
  ["transfer", 200, 20_000 * Y, 40_000 * Y],
  ["ecash-load", 120, 200 * Y, 500 * Y],
  ["utility", 100, 100 * Y, 300 * Y],
  ["ecommerce", 120, 200 * Y, 1_000 * Y],
  ["purchase-offline", 160, 2 * Y, 50 * Y],
  ["transit", 120, 1 * Y, 2 * Y],
  ["purchase-online", 60, 300 * Y, 2_000 * Y],
  ["balance-inquiry", 50, 0, 0],
  ["loan", 20, 10_000 * Y, 50_000 * Y],
  ["fund", 30, 1_000 * Y, 10_000 * Y],
  ["escrow", 20, 100 * Y, 1_000 * Y],
]

export interface MoneySummary {
  readonly seed: number
  readonly transactions: number
  /** The event log's SM3 digest; null for a run stopped before its end (no whole log to hash). */
  readonly digest: string | null
  readonly perKind: Readonly<Record<string, { count: number; ok: number; valueFen: number }>>
  readonly audit: MoneyAuditReport
  readonly ledgerMismatches: ReadonlyArray<string>
  readonly discrepancies: ReadonlyArray<DiscrepancySignal>
  readonly cycles: number
  readonly fraud: number
  /** Offline TCs journaled and online approvals presented: the index ranges of the fault plan. */
  readonly offlineTcs: number
  readonly onlinePresented: number
  /** Duplicated messages the issuers answered from their logs. */
  readonly duplicateMessages: number
  /** When the last card of the issuance burst had its personalization data from the CMS HSMs. */
  readonly personalizationBacklogUs: number
}

interface Traffic {
  readonly world: MoneyWorld
  readonly ctx: FlowContext
  readonly holders: ReadonlyArray<Holder>
  readonly options: MoneyOptions
  readonly onlineApprovals: Array<{ readonly record: ClearingRecord; readonly cycle: number }>
  flowHandler: HandlerId<Traffic>
  escrowHandler: HandlerId<EscrowDue>
  cycle: number
}

interface EscrowDue {
  readonly bank: Bank
  readonly id: string
  readonly outcome: "confirmed" | "disputed"
}

const pickKind = (s: Stream): (typeof MIX)[number] => {
  let x = s.below(1000)
  for (const m of MIX) {
    if (x < m[1]) return m
    x -= m[1]
  }
  return MIX[0]!
}

const pick = <T>(s: Stream, items: ReadonlyArray<T>): T => items[s.below(items.length)]!

/** One flow for transaction i; a busy card (an online answer pending) waits a minute. */
const runFlow = (t: Traffic, i: number): void => {
  const s = streamOf(t.options.seed, "traffic/flow", i)
  const [kind, , lo, hi] = pickKind(s)
  const h = pick(s, t.holders)
  const amountFen = lo + s.below(hi - lo + 1)
  const now = t.world.port.now()
  if (h.busyUntilUs > now) {
    t.world.port.after(h.busyUntilUs - now, t.flowHandler, i, t)
    return
  }
  const id = `T${i}`
  const ctx = t.ctx
  if (kind === "purchase-offline") {
    purchase(ctx, kind, h, pick(s, payeesOf("retail")), amountFen, id)
    return
  }
  if (kind === "transit") {
    purchase(ctx, kind, h, pick(s, payeesOf("transit")), amountFen, id)
    return
  }
  if (kind === "purchase-online") {
    purchase(ctx, kind, h, pick(s, payeesOf("retail")), amountFen, id)
    return
  }
  if (kind === "utility") {
    purchase(ctx, kind, h, pick(s, payeesOf("utility")), amountFen, id)
    return
  }
  if (kind === "ecommerce") {
    purchase(ctx, kind, h, pick(s, payeesOf("ecommerce")), amountFen, id)
    return
  }
  if (kind === "ecash-load") {
    const room = ECASH_LIMIT_FEN - h.ecashFen
    if (room <= 0) flowDone(ctx, kind, false, 0, "at the e-cash cap")
    else ecashLoad(ctx, h, Math.min(room, amountFen), id)
    return
  }
  selfService(t, kind, h, pick(s, t.holders), pick(s, payeesOf("ecommerce")), amountFen, i)
}

/** Online banking: transfer, inquiry, loan, fund purchase, escrow. */
const selfService = (
  t: Traffic,
  kind: FlowKind,
  h: Holder,
  other: Holder,
  shop: Payee,
  amountFen: number,
  i: number,
): void => {
  const id = `T${i}`
  const ctx = t.ctx
  const b = h.bank
  if (kind === "transfer") {
    const ok = payAccount(ctx, b, h.account, other.bank, other.account, amountFen, id)
    flowDone(ctx, kind, ok, amountFen)
    return
  }
  if (kind === "balance-inquiry") {
    flowDone(ctx, kind, b.ledger.balance(h.account) >= 0, 0)
    return
  }
  if (kind === "loan") {
    // TWIN-CREDIT-1 (credit-decision.ts); the bureau score is this application's own stream.
    const decision = b.online.applyForLoan(
      id,
      h.account,
      amountFen,
      streamOf(t.options.seed, "bank/credit", i),
    )
    flowDone(ctx, kind, decision.approved, amountFen, decision.approved ? "approved" : decision.reason)
    return
  }
  if (kind === "fund") {
    const ok = b.post(`fund:${id}`, [
      { account: h.account, deltaFen: -amountFen },
      { account: "fund-custody", deltaFen: amountFen },
    ]).ok
    flowDone(ctx, kind, ok, amountFen)
    return
  }
  const order = {
    id,
    buyerAccount: h.account,
    amountFen,
    sellerBank: shop.acquirer,
    sellerAccount: `merch:${shop.id}`,
  }
  const held = b.online.hold(order)
  if (held) scheduleEscrowClose(t, b, i, id)
  flowDone(ctx, kind, held, amountFen)
}

/**
 * 交易担保 (TWIN-ESCROW-1, online-banking.ts): the buyer confirms receipt 1-3 days after the order
 * (uniform; assumption: delivery within the city), or disputes it with a 2 % share (assumption),
 * which refunds. Both are draws of this order's own stream.
 */
const ESCROW_DISPUTE_PERMILLE = 20

const scheduleEscrowClose = (t: Traffic, bank: Bank, i: number, id: string): void => {
  const s = streamOf(t.options.seed, "traffic/escrow", i)
  const delayUs = US_PER_DAY + s.below(2 * US_PER_DAY)
  const outcome = s.below(1000) < ESCROW_DISPUTE_PERMILLE ? "disputed" : "confirmed"
  t.world.kernel.schedule(delayUs, t.escrowHandler, 0, { bank, id, outcome })
}

const closeEscrow = (t: Traffic, due: EscrowDue): void => {
  const record = due.bank.online.close(due.id, due.outcome)
  if (record !== null) t.world.acquirers.get(due.bank.id)!.present(record, null)
}

/**
 * A built money world with its traffic scheduled, for a caller that drives its kernel (sim/run's
 * RunControl: chunked, interruptible; app/run/money-command.ts). For each day d < `days` run the
 * kernel strictly before `cutoffAtUs(d)` and take `cutOff()`; then run it until nothing is pending
 * and take `finish()`. An interrupted run takes `soFar()` instead (flows still in flight are not
 * ended ones, so the audit's end-state checks are left out, and there is no whole log to digest).
 */
export interface MoneyStart {
  readonly world: MoneyWorld
  readonly days: number
  readonly cutoffAtUs: (day: number) => number
  /** The day's cut-off: disputes due, then UnionPay's clearing cycle. */
  readonly cutOff: () => void
  /** The last two cycles (the drained day's TCs, then their disputes), the audit's end checks. */
  readonly finish: () => MoneySummary
  /** The summary so far: no end-state checks, no digest. */
  readonly soFar: () => MoneySummary
}

export const startMoney = (options: MoneyOptions): MoneyStart => {
  const world = buildMoneyWorld(options)
  const flows = collect(world)
  const holders = issueHolders(world, options)
  const s = streamOf(options.seed, "traffic/un")
  const un = () => new Uint8Array([s.below(256), s.below(256), s.below(256), s.below(256)])
  const badTcs = new Set(options.faults?.badTcs ?? [])
  const ctx: FlowContext = {
    world,
    un,
    date: "160801",
    corruptTc: (n) => badTcs.has(n),
    offlineCount: 0,
    payers: new Map(),
  }
  const flowHandler = world.kernel.register<Traffic>("money.flow", (i, traffic) => runFlow(traffic, i))
  const escrowHandler = world.kernel.register<EscrowDue>("money.escrow-close", (_a0, due) =>
    closeEscrow(t, due),
  )
  const t: Traffic = {
    world,
    ctx,
    holders,
    options,
    onlineApprovals: [],
    flowHandler,
    escrowHandler,
    cycle: 0,
  }
  installPresentmentFaults(t)
  scheduleTraffic(t)
  const discrepancies: DiscrepancySignal[] = []
  const summary = (audit: MoneyAuditReport, digest: string | null): MoneySummary =>
    summaryOf(t, flows, audit, discrepancies, digest)
  return {
    world,
    days: options.days,
    cutoffAtUs: (day) => day * US_PER_DAY + TIMING.cutoffUs,
    cutOff: () => {
      discrepancies.push(...cutOff(t))
    },
    finish: () => {
      discrepancies.push(...cutOff(t))
      discrepancies.push(...cutOff(t))
      const audit = world.audit.finish()
      return summary(audit, world.digest.hex())
    },
    soFar: () => summary(world.audit.soFar(), null),
  }
}

const summaryOf = (
  t: Traffic,
  flows: ReturnType<typeof collect>,
  audit: MoneyAuditReport,
  discrepancies: ReadonlyArray<DiscrepancySignal>,
  digest: string | null,
): MoneySummary => {
  const { world, options } = t
  const ledgerMismatches = [...world.banks.values()].flatMap((b) =>
    world.audit.compareLedger(b.id, b.ledger.snapshot()),
  )
  return {
    seed: options.seed,
    transactions: options.transactions,
    digest,
    perKind: flows.perKind,
    audit,
    ledgerMismatches,
    discrepancies: [...discrepancies],
    cycles: t.cycle,
    fraud: world.signals.count(MONEY_SIGNAL.fraud),
    offlineTcs: t.ctx.offlineCount,
    onlinePresented: t.onlineApprovals.length,
    duplicateMessages: flows.duplicateMessages.count,
    personalizationBacklogUs: Math.max(...[...world.banks.values()].map((b) => b.cmsHsm.lastReadyUs)),
  }
}

/** The whole run at once (tests, benchmarks): the same events, in the same order, as a paced run. */
export const runMoney = (options: MoneyOptions): MoneySummary => {
  const start = startMoney(options)
  for (let day = 0; day < start.days; day++) {
    start.world.kernel.run(start.cutoffAtUs(day))
    start.cutOff()
  }
  start.world.kernel.run()
  return start.finish()
}

/** Counts flows by kind from the signals (the summary's per-kind table). */
const collect = (world: MoneyWorld) => {
  const perKind: Record<string, { count: number; ok: number; valueFen: number }> = {}
  const duplicateMessages = { count: 0 }
  const emit = world.signals.emit.bind(world.signals)
  world.signals.emit = (timeUs, name, payload) => {
    emit(timeUs, name, payload)
    if (name === MONEY_SIGNAL.discrepancy && (payload as DiscrepancySignal).kind === "duplicate-message")
      duplicateMessages.count++
    if (name !== MONEY_SIGNAL.flow) return
    const f = payload as FlowSignal
    const row = perKind[f.kind] ?? { count: 0, ok: 0, valueFen: 0 }
    perKind[f.kind] = row
    row.count++
    if (f.ok) {
      row.ok++
      row.valueFen += f.amountFen
    }
  }
  return { perKind, duplicateMessages }
}

const scheduleTraffic = (t: Traffic): void => {
  const { world, options } = t
  const handler = t.flowHandler
  const window = TIMING.trafficEndUs - TIMING.trafficStartUs
  for (let i = 0; i < options.transactions; i++) {
    const s = streamOf(options.seed, "traffic/time", i)
    const atUs = s.below(options.days) * US_PER_DAY + TIMING.trafficStartUs + s.below(window)
    world.kernel.at(atUs, handler, i, t)
  }
  if (options.faults?.cloneCard === true) scheduleClone(t)
}

/** Wrong amounts and duplicates at presentment, by the n-th online approval (fault plan). */
const installPresentmentFaults = (t: Traffic): void => {
  const mismatch = new Set(t.options.faults?.amountMismatches ?? [])
  const duplicate = new Set(t.options.faults?.duplicatePresentments ?? [])
  for (const acquirer of t.world.acquirers.values()) {
    acquirer.presentHook = (r) => {
      if (r.kind !== "online") return [r]
      const n = t.onlineApprovals.length
      t.onlineApprovals.push({ record: r, cycle: t.cycle + 1 })
      if (mismatch.has(n)) return [{ ...r, amountFen: r.amountFen + 100 }]
      return duplicate.has(n) ? [r, r] : [r]
    }
  }
}

/** The daily cut-off: disputes due, then UnionPay's clearing cycle. */
const cutOff = (t: Traffic): ReadonlyArray<DiscrepancySignal> => {
  const cycle = ++t.cycle
  for (const n of t.options.faults?.disputes ?? []) {
    const original = t.onlineApprovals[n]
    if (original === undefined || original.cycle !== cycle - 1) continue
    const r = original.record
    const payee = t.ctx.payers.get(r.id)!
    t.world.acquirers.get(r.issuer)!.present({ ...r, id: `cb:${r.id}`, kind: "chargeback", payee }, null)
  }
  const corruptFileFor = new Set(
    (t.options.faults?.corruptFile ?? []).filter((f) => f.cycle === cycle).map((f) => f.bank),
  )
  return t.world.clearing.runCycle(cycle, { corruptFileFor }).discrepancies
}

/** A clone of the first card (same PAN, same keys) pays online after the genuine card did. */
const scheduleClone = (t: Traffic): void => {
  const genuine = t.holders[0]!
  const clone = issueOne(t.world, t.options, genuine.bank, genuine.pan, -1, 999_999, false)
  const shop = payeesOf("retail")[0]!
  const tapAt = (atUs: number, h: Holder, id: string) => {
    const handler = t.world.kernel.register<null>(`money.clone-tap:${id}`, () =>
      purchase(t.ctx, "purchase-online", h, shop, 50_000, id),
    )
    t.world.kernel.at(atUs, handler, 0, null)
  }
  tapAt(5 * US_PER_HOUR, genuine, "CLONE-GENUINE-1")
  tapAt(5 * US_PER_HOUR + 60_000_000, genuine, "CLONE-GENUINE-2")
  tapAt(5 * US_PER_HOUR + 600_000_000, clone, "CLONE-COPY-1")
}
