/**
 * Every pilot transaction through the parties' own decisions (issue 12 items 2 and 7): the route
 * (on-us at the card's bank, or interbank through the UnionPay switch), the switch's availability
 * and its stand-in for an unreachable issuer (unionpay/stand-in.ts `mayStandIn`), the issuer host's
 * `decideAuthorization` (bank/authorization-decision.ts: known card, hot list, ATC, limit, funds)
 * over per-user typed arrays, the double-entry legs of each approval (money-books.ts), and the
 * day's tallies for clearing (clearing-day.ts). Capacity is the parties' own: the switch's and the
 * hosts' server pools are reserved on the way.
 *
 * Background flows carry no cryptogram: the ARQC check is elided (`arqcValid` true) and its cost is
 * the host's service time (capacity.bankHost.serviceUs, which models the HSM's ARQC/ARPC work).
 * Byte-level users' card-present and online payments run on their real card first
 * (byte-level-cards.ts `transact`): a card that fails declines the payment, and for an online
 * purchase the real ARQC verdict is the host's `arqcValid`.
 */

import {
  AUTH_VERDICT,
  AUTH_VERDICT_NAMES,
  type AuthFacts,
  advancesAtc,
  hotListsCard,
} from "../../../parties/bank/authorization-decision.ts"
import type { PairDiscrepancy } from "../../../parties/unionpay/pair-clearing.ts"
import { type StandInLimits, TWIN_STIP_LIMITS } from "../../../parties/unionpay/stand-in.ts"
import type { PopulationParams, TransactionKind } from "../../../population/population-params.ts"
import { type ClearingSignal, MONEY_SIGNAL } from "../../../signals/money-signals.ts"
import { PILOT_NETWORK } from "../../network.ts"
import type { CardWork } from "../byte-level-cards.ts"
import type { PartyDecisions } from "../party-decisions.ts"
import type { PilotParties } from "../pilot-party-layers.ts"
import type { ServerPool } from "../server-pool.ts"
import { type CycleResult, DayTally } from "./clearing-day.ts"
import { MoneyAudit } from "./money-audit.ts"
import { ACCOUNT, type Account, MoneyBooks } from "./money-books.ts"
import {
  bankPicker,
  expectedDepositSpendFenPerDay,
  hash16,
  largestDepositAmountFen,
  PAYMENT_KIND,
  paymentKinds,
} from "./payment-kinds.ts"
import { HOST_FLAG, type UserAccounts } from "./user-accounts.ts"

const US_PER_DAY = 86_400_000_000
/** PBOC e-cash balance limit (byte-level-cards.ts, JR/T 0025 e-cash: 1,000 yuan). */
export const ECASH_BALANCE_LIMIT_FEN = 100_000

export interface PaymentsOptions {
  readonly population: PopulationParams
  /** Users of the market (the per-user arrays' length). */
  readonly users: number
  readonly decisions: PartyDecisions
  readonly bankHost: ServerPool
  readonly unionpaySwitch: ServerPool
  readonly serviceUs: { readonly bankHost: number; readonly unionpaySwitch: number }
  readonly timeoutUs: number
  /** Each user's activity multiplier (population state, mean 1). */
  readonly activity: Float32Array
  /** Each user's transaction count so far (population state): the receiving bank's hash input. */
  readonly userTransactions: Uint32Array
  /** Emits a signal (the world's port): each cycle's positions go into the event-log digest. */
  readonly emit: (signal: string, payload: unknown) => void
  /** The byte-level card work of one transaction (byte-level-cards.ts `transact`). */
  readonly cardWork: (user: number, kind: TransactionKind, amountFen: number, nowUs: number) => CardWork
  /** The issuers' hosts and UnionPay as the run's layers provide them (pilot-party-layers.ts). */
  readonly parties: Pick<PilotParties, "bankHost" | "unionpay">
}

/** The counters each decision bumps (held, so counting costs no lookup: party-decisions.ts). */
const cellsOf = (d: PartyDecisions) => {
  const host = PILOT_NETWORK.bankHost.id
  const sw = PILOT_NETWORK.unionpaySwitch.id
  return {
    transaction: d.decision(PILOT_NETWORK.users.id, "transaction"),
    offlineApproved: d.decision(PILOT_NETWORK.users.id, "offline-e-cash"),
    ecashLimit: d.error(PILOT_NETWORK.users.id, "declined: over the e-cash limit"),
    authorize: d.decision(host, "authorize"),
    onUs: d.decision(host, "route-on-us"),
    hotList: d.decision(host, "hot-list"),
    advice: d.decision(host, "post-advice"),
    settle: d.decision(host, "settle"),
    // Index = verdict; the approved verdict (0) is no error and gets no cell.
    verdicts: AUTH_VERDICT_NAMES.map((name, v) =>
      v === AUTH_VERDICT.approved ? null : d.error(host, `declined: ${name}`),
    ),
    issuerUnavailable: d.error(host, "unavailable"),
    interbank: d.decision(sw, "route-interbank"),
    standIn: d.decision(sw, "stand-in"),
    clearingCycle: d.decision(sw, "clearing-cycle"),
    clearedItem: d.decision(sw, "clear-item"),
    switchDown: d.error(sw, "refused: switch down"),
    switchTimedOut: d.error(sw, "timed out"),
    missingInClearing: d.error(sw, "discrepancy: missing-in-clearing"),
    missingAtIssuer: d.error(sw, "discrepancy: missing-at-issuer"),
  }
}

export class PilotPayments {
  readonly books: MoneyBooks
  readonly tally: DayTally
  readonly audit = new MoneyAudit()
  /** Per user: deposit, e-cash, bank, host flags, the card's ATC and the host's last online ATC. */
  readonly accounts: UserAccounts
  /** Items (interbank approvals and TCs) that must clear, counted when they are made. */
  itemsToClear = 0
  cycles = 0
  /** Cycles run per business day (index = day from time zero, 1 = the first day's cut-off). */
  readonly cyclesByDay: number[] = []
  readonly standInLimits: StandInLimits = TWIN_STIP_LIMITS
  /** The bank's single online limit: the mix's largest deposit amount (assumption, see the file). */
  singleLimitFen: number
  private readonly kinds: Uint8Array
  private readonly picker: Uint8Array
  private readonly incomeFenPerDay: number
  private readonly openingFen: number
  private readonly facts: AuthFacts = {
    known: false,
    hotListed: false,
    lastOnlineAtc: -1,
    balanceFen: 0,
    amountFen: 0,
    atc: -1,
    arqcValid: true,
    singleLimitFen: 0,
  }
  /** Stand-ins per user this clearing day: count × 2^32 + fen (rare: only while a host is down). */
  private readonly standInsToday = new Map<number, number>()
  /** Stand-in advices to post at the cut-off, as (user, receiver, fen) triples. */
  private readonly advices: number[] = []
  private readonly found: PairDiscrepancy = { missingInClearing: 0, missingAtIssuer: 0 }
  private readonly c: ReturnType<typeof cellsOf>
  private readonly decideAuthorization: PilotParties["bankHost"]["decideAuthorization"]
  private readonly mayStandIn: PilotParties["unionpay"]["mayStandIn"]

  constructor(private readonly o: PaymentsOptions) {
    const banks = o.population.market.homeBanks
    this.books = new MoneyBooks(
      banks.map((b) => b.bankId),
      o.users,
    )
    this.tally = new DayTally(banks.length)
    this.accounts = this.books.accounts
    this.kinds = paymentKinds(o.population.behaviour.mix)
    this.picker = bankPicker(banks.map((b) => b.weight))
    this.incomeFenPerDay = expectedDepositSpendFenPerDay(o.population)
    this.openingFen = largestDepositAmountFen(o.population)
    this.singleLimitFen = Math.max(1, this.openingFen)
    this.facts.singleLimitFen = this.singleLimitFen
    this.c = cellsOf(o.decisions)
    this.decideAuthorization = o.parties.bankHost.decideAuthorization
    this.mayStandIn = o.parties.unionpay.mayStandIn
  }

  /** The user's bank is known from adoption on (its index in the population's home banks). */
  adopt(user: number, bank: number): void {
    this.accounts.setMeta(user, bank, 0, 0)
  }

  /** A card issued: the host enrols it (a new card after 补卡 starts a fresh ATC, off the hot list). */
  enrol(user: number, nowUs: number): void {
    const a = this.accounts
    const first = (a.flagsOf(user) & HOST_FLAG.known) === 0
    const day = first ? Math.floor(nowUs / US_PER_DAY) : a.incomeDayOf(user)
    a.setMeta(user, a.bankOf(user), HOST_FLAG.known, day)
    a.setAtcs(user, 0, -1)
    if (first) this.books.creditCustomer(user, this.openingFen)
  }

  /** 挂失: the issuer hot-lists the card at its host. */
  hotList(user: number): void {
    this.c.hotList.n++
    this.hostList(user)
  }

  isHotListed(user: number): boolean {
    return (this.accounts.flagsOf(user) & HOST_FLAG.hotListed) !== 0
  }

  /** One transaction of the population; true when approved (it then counts in the KPIs). */
  transact(
    user: number,
    mixIndex: number,
    kind: TransactionKind,
    amountFen: number,
    nowUs: number,
    byteLevel: boolean,
  ): boolean {
    this.c.transaction.n++
    this.accrueIncome(user, nowUs)
    const k = this.kinds[mixIndex]!
    if (this.isHotListed(user))
      return this.authorize(
        user,
        amountFen,
        -1,
        true,
        nowUs,
        this.accounts.bankOf(user),
        false,
        ACCOUNT.merchantDeposits,
      )
    let arqcValid = true
    if (
      byteLevel &&
      k !== PAYMENT_KIND.enquiry &&
      k !== PAYMENT_KIND.remotePurchase &&
      k !== PAYMENT_KIND.transfer
    ) {
      const work = this.o.cardWork(user, kind, amountFen, nowUs)
      if (!work.ok && k !== PAYMENT_KIND.chipPurchase) {
        this.o.decisions.error(PILOT_NETWORK.users.id, `card: ${work.reason}`).n++
        return false
      }
      arqcValid = work.ok
    }
    const issuer = this.accounts.bankOf(user)
    if (k === PAYMENT_KIND.offline) return this.offline(user, amountFen, nowUs)
    if (k === PAYMENT_KIND.load) return this.load(user, amountFen, nowUs)
    if (k === PAYMENT_KIND.enquiry)
      return this.authorize(user, 0, -1, true, nowUs, issuer, false, ACCOUNT.merchantDeposits)
    const receiver = this.receiverOf(user)
    if (k === PAYMENT_KIND.chipPurchase)
      return this.authorize(
        user,
        amountFen,
        this.nextCardAtc(user),
        arqcValid,
        nowUs,
        receiver,
        true,
        ACCOUNT.merchantDeposits,
      )
    return this.authorize(
      user,
      amountFen,
      -1,
      true,
      nowUs,
      receiver,
      k === PAYMENT_KIND.remotePurchase,
      ACCOUNT.merchantDeposits,
    )
  }

  /** The bank receiving the user's current payment (merchant's acquirer, biller's or payee's bank). */
  receiverOf(user: number): number {
    return this.picker[hash16(user, this.o.userTransactions[user]!)]!
  }

  /** Income at the user's expected spending rate, credited lazily by whole days (money-books.ts). */
  private accrueIncome(user: number, nowUs: number): void {
    const day = Math.floor(nowUs / US_PER_DAY)
    const a = this.accounts
    const days = day - a.incomeDayOf(user)
    if (days <= 0 || (a.flagsOf(user) & HOST_FLAG.known) === 0) return
    a.setMeta(user, a.bankOf(user), a.flagsOf(user), day)
    const fen = Math.round(days * this.incomeFenPerDay * this.o.activity[user]!)
    if (fen > 0) this.books.creditCustomer(user, fen)
  }

  /** qPBOC offline: the card pays from e-cash (topped up online to the limit when short); a TC to clear. */
  private offline(user: number, amountFen: number, nowUs: number): boolean {
    if (amountFen > ECASH_BALANCE_LIMIT_FEN) {
      this.c.ecashLimit.n++
      return false
    }
    const a = this.accounts
    const ecash = a.ecashFen(user)
    if (ecash < amountFen && !this.load(user, ECASH_BALANCE_LIMIT_FEN - ecash, nowUs)) return false
    this.c.offlineApproved.n++
    this.nextCardAtc(user)
    a.addEcash(user, -amountFen)
    const p = a.bankOf(user) * this.tally.banks + this.receiverOf(user)
    this.tally.presentedTcCount[p]!++
    this.tally.presentedTcFen[p]! += amountFen
    this.tally.journalTcCount[p]!++
    this.tally.journalTcFen[p]! += amountFen
    this.itemsToClear++
    return true
  }

  /** 圈存: online at the card's own bank, deposit → e-cash float, up to the e-cash limit. */
  private load(user: number, amountFen: number, nowUs: number): boolean {
    const a = this.accounts
    const loadFen = Math.max(0, Math.min(amountFen, ECASH_BALANCE_LIMIT_FEN - a.ecashFen(user)))
    const bank = a.bankOf(user)
    if (!this.authorize(user, loadFen, this.nextCardAtc(user), true, nowUs, bank, false, ACCOUNT.ecashFloat))
      return false
    a.addEcash(user, loadFen)
    return true
  }

  /**
   * The online path: route (on-us or through the switch), the host's capacity, the stand-in when
   * it is unreachable, the host's decision, and the approval's legs and clearing tallies.
   */
  private authorize(
    user: number,
    amountFen: number,
    atc: number,
    arqcValid: boolean,
    nowUs: number,
    receiver: number,
    purchase: boolean,
    onUsAccount: Account,
  ): boolean {
    const a = this.accounts
    const issuer = a.bankOf(user)
    const interbank = receiver !== issuer
    if (interbank && !this.switchAccepts(nowUs)) return false
    if (!interbank) this.c.onUs.n++
    if (this.o.bankHost.reserve(nowUs, this.o.serviceUs.bankHost, this.o.timeoutUs) < 0) {
      if (interbank && this.standIn(user, amountFen, receiver, purchase)) return true
      this.c.issuerUnavailable.n++
      return false
    }
    this.c.authorize.n++
    const f = this.facts
    const flags = a.flagsOf(user)
    f.known = (flags & HOST_FLAG.known) !== 0
    f.hotListed = (flags & HOST_FLAG.hotListed) !== 0
    f.lastOnlineAtc = a.hostAtcOf(user)
    f.balanceFen = a.depositFen(user)
    f.amountFen = amountFen
    f.atc = atc
    f.arqcValid = arqcValid
    const verdict = this.decideAuthorization(f)
    if (atc >= 0 && advancesAtc(verdict)) a.setAtcs(user, a.cardAtcOf(user), atc)
    if (hotListsCard(verdict)) this.hostList(user)
    if (verdict !== AUTH_VERDICT.approved) {
      this.c.verdicts[verdict]!.n++ // non-null: the verdict is not approved
      return false
    }
    if (amountFen === 0) return true
    if (!interbank) {
      this.books.debitCustomer(user, onUsAccount, amountFen)
      return true
    }
    this.books.debitCustomer(user, ACCOUNT.schemePayable, amountFen)
    const p = issuer * this.tally.banks + receiver
    this.tally.approvedCount[p]!++
    this.tally.approvedFen[p]! += amountFen
    this.present(p, amountFen)
    return true
  }

  private hostList(user: number): void {
    const a = this.accounts
    a.setMeta(user, a.bankOf(user), a.flagsOf(user) | HOST_FLAG.hotListed, a.incomeDayOf(user))
  }

  /** The card counts a transaction (its ATC moves on) and sends the new ATC. */
  private nextCardAtc(user: number): number {
    const a = this.accounts
    const atc = a.cardAtcOf(user) + 1
    a.setAtcs(user, atc, a.hostAtcOf(user))
    return atc
  }

  /** A cloned card: the counter of a copy made earlier (tests plant replays with it). */
  rewindCardAtc(user: number, atc: number): void {
    this.accounts.setAtcs(user, atc, this.accounts.hostAtcOf(user))
  }

  /** The acquirer presents an online item for clearing. */
  private present(pair: number, amountFen: number): void {
    this.tally.presentedCount[pair]!++
    this.tally.presentedFen[pair]! += amountFen
    this.itemsToClear++
  }

  private switchAccepts(nowUs: number): boolean {
    this.c.interbank.n++
    const sw = this.o.unionpaySwitch
    const down = sw.down
    if (sw.reserve(nowUs, this.o.serviceUs.unionpaySwitch, this.o.timeoutUs) >= 0) return true
    if (down) this.c.switchDown.n++
    else this.c.switchTimedOut.n++
    return false
  }

  /** The switch approves for the issuer within TWIN-STIP-1's limits; the advice posts at the cut-off. */
  private standIn(user: number, amountFen: number, receiver: number, purchase: boolean): boolean {
    const used = this.standInsToday.get(user) ?? 0
    const count = Math.floor(used / 2 ** 32)
    const fen = used - count * 2 ** 32
    if (!this.mayStandIn(this.standInLimits, purchase, count, fen, amountFen)) return false
    this.c.standIn.n++
    this.standInsToday.set(user, (count + 1) * 2 ** 32 + fen + amountFen)
    this.advices.push(user, receiver, amountFen)
    this.present(this.accounts.bankOf(user) * this.tally.banks + receiver, amountFen)
    return true
  }

  /**
   * The cut-off of business day `day` (clearing-day.ts): the issuers post the day's stand-in
   * advices (a shortfall becomes a claim on the cardholder, authorization-host.ts `postAdvice`),
   * UnionPay clears and settles, the audit ties the cycle to the records that produced it.
   */
  closeDay(day: number): CycleResult {
    this.postAdvices()
    const result = this.o.parties.unionpay.runClearingCycle(day, this.tally, this.books, this.found)
    this.c.clearingCycle.n++
    this.c.clearedItem.n += result.items
    this.c.settle.n += this.books.banks
    this.c.missingInClearing.n += this.found.missingInClearing
    this.c.missingAtIssuer.n += this.found.missingAtIssuer
    this.audit.checkCycle(result, this.tally)
    this.emitCycle(result)
    this.cycles++
    this.cyclesByDay[day] = (this.cyclesByDay[day] ?? 0) + 1
    this.tally.reset()
    this.standInsToday.clear()
    return result
  }

  /** The cycle as `money.clearing` (model/signals/money-signals.ts), so the digest covers money. */
  private emitCycle(r: CycleResult): void {
    const positions: Record<string, number> = {}
    this.books.bankIds.forEach((id, b) => {
      positions[id] = r.positions[b]!
    })
    const signal: ClearingSignal = { cycle: r.day, positions, records: r.items }
    this.o.emit(MONEY_SIGNAL.clearing, signal)
  }

  private postAdvices(): void {
    const a = this.advices
    for (let i = 0; i < a.length; i += 3) {
      const user = a[i]!
      const fen = a[i + 2]!
      const issuer = this.accounts.bankOf(user)
      const covered = Math.max(0, Math.min(fen, this.accounts.depositFen(user)))
      if (covered > 0) this.books.debitCustomer(user, ACCOUNT.schemePayable, covered)
      if (covered < fen)
        this.books.growBoth(issuer, ACCOUNT.standinReceivable, ACCOUNT.schemePayable, fen - covered)
      const p = issuer * this.tally.banks + a[i + 1]!
      this.tally.approvedCount[p]!++
      this.tally.approvedFen[p]! += fen
      this.c.advice.n++
    }
    a.length = 0
  }
}
