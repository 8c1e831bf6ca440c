/**
 * The money audit (issue 6; TigerBeetle's auditor idea): it reads only signals and recomputes
 * every ledger, every card's e-cash and every authorization's state from them, without trusting
 * the parties. At each new instant it checks the previous instant's state (one instant's signals
 * form one atomic step), and `finish` checks the end state:
 * - every posting is balanced (Σ asset deltas = Σ liability deltas) and deposits never go negative;
 * - an authorization, a reversal, a TC or a clearing credit is posted at most once (duplicates of
 *   a message must be answered, never booked again);
 * - central-bank money is conserved: Σ reserves only changes by the banks' opening entries;
 * - e-cash is conserved per issuer: its `ecash-float` = Σ e-cash on its cards (as the cards
 *   reported it) + TCs in flight (captured, not yet cleared) + TCs rejected in 差错;
 * - each clearing cycle's net positions sum to zero;
 * - escrow is conserved per bank: its `escrow` account equals the open holds (held, not yet
 *   released or refunded); each hold closes once, and none is open at the end;
 * - a stand-in approval is money in flight until its issuer posts the advice: each advice posts
 *   once and only for a stand-in approval, none settles while its advice is in flight, and none is
 *   left in flight at the end;
 * - every card's reported balance equals its previous balance plus the change;
 * - at the end, every authorization has ended settled, reversed, declined or disputed.
 */
import {
  type AuthSignal,
  type ClearingSignal,
  type EcashSignal,
  type EscrowSignal,
  MONEY_SIGNAL,
  type PostingSignal,
  type StandInSignal,
  type TcSignal,
} from "../signals/money-signals.ts"

const FINAL_AUTH = new Set(["declined", "settled", "reversed", "disputed"])
const VIOLATIONS_MAX = 100

export interface MoneyAuditReport {
  readonly checks: number
  readonly violations: ReadonlyArray<string>
  readonly reservesFen: number
  readonly depositsFen: number
  readonly ecashOnCardsFen: number
  readonly tcInFlightFen: number
  /** Stand-in approvals whose advice the issuer has not posted (zero at a clean end). */
  readonly standInInFlightFen: number
  readonly standIns: number
  readonly authStates: Readonly<Record<string, number>>
}

export class MoneyAudit {
  readonly balances = new Map<string, number>()
  private readonly cards = new Map<string, { issuer: string; fen: number }>()
  private readonly tcState = new Map<string, TcSignal>()
  private readonly tcHeld = new Map<string, number>()
  private readonly auths = new Map<string, string>()
  /** Stand-in id → amount while its advice is in flight; posted ids move to `standInPosted`. */
  private readonly standInFlight = new Map<string, number>()
  private readonly standInPosted = new Set<string>()
  /** Open escrow holds: id → [bank, fen]; closed ids are remembered to catch a second close. */
  private readonly escrowOpen = new Map<string, readonly [string, number]>()
  private readonly escrowClosed = new Set<string>()
  private readonly uniqueEntries = new Set<string>()
  private reservesOpenedFen = 0
  private lastUs = -1
  private dirty = false
  checks = 0
  readonly violations: string[] = []

  observe(timeUs: number, name: string, payload: unknown): void {
    if (timeUs !== this.lastUs && this.dirty) this.checkInstant(this.lastUs)
    this.lastUs = timeUs
    if (name === MONEY_SIGNAL.posting) this.onPosting(payload as PostingSignal)
    else if (name === MONEY_SIGNAL.ecash) this.onEcash(payload as EcashSignal)
    else if (name === MONEY_SIGNAL.tc) this.onTc(payload as TcSignal)
    else if (name === MONEY_SIGNAL.auth) this.onAuth(payload as AuthSignal)
    else if (name === MONEY_SIGNAL.standIn) this.onStandIn(payload as StandInSignal)
    else if (name === MONEY_SIGNAL.escrow) this.onEscrow(payload as EscrowSignal)
    else if (name === MONEY_SIGNAL.clearing) this.onClearing(payload as ClearingSignal)
    else return
    this.dirty = true
  }

  /** The end-of-run checks; call after the last signal. */
  finish(): MoneyAuditReport {
    if (this.dirty) this.checkInstant(this.lastUs)
    for (const [id, state] of this.auths)
      if (!FINAL_AUTH.has(state)) this.violate(`authorization ${id} ended ${state}`)
    for (const [id] of this.escrowOpen) this.violate(`escrow ${id} never released or refunded`)
    for (const [id, fen] of this.standInFlight)
      this.violate(`stand-in ${id} (${fen} fen) never posted by its issuer`)
    for (const [id, tc] of this.tcState)
      if (tc.state === "captured" || tc.state === "presented") this.violate(`TC ${id} never cleared`)
    return this.report()
  }

  /**
   * The checks so far, for a run stopped between two events (a signal): the end-state checks of
   * `finish` are left out, because flows still in flight there are not ended ones.
   */
  soFar(): MoneyAuditReport {
    return this.report()
  }

  /** Pair check: the auditor's balances against a party's own ledger snapshot. */
  compareLedger(
    bank: string,
    snapshot: ReadonlyArray<{ account: string; balanceFen: number }>,
  ): ReadonlyArray<string> {
    return snapshot.flatMap((a) => {
      const mine = this.balances.get(`${bank}/${a.account}`) ?? 0
      return mine === a.balanceFen ? [] : [`${bank}/${a.account}: ledger ${a.balanceFen}, audit ${mine}`]
    })
  }

  private onPosting(p: PostingSignal): void {
    let net = 0
    for (const leg of p.legs) {
      net += leg.side === "asset" ? leg.deltaFen : -leg.deltaFen
      const key = `${p.bank}/${leg.account}`
      const after = (this.balances.get(key) ?? 0) + leg.deltaFen
      this.balances.set(key, after)
      if (after < 0 && /^(cust|merch):/.test(leg.account)) this.violate(`${key} negative (${after})`)
      if (leg.account === "reserve" && p.entry === "open") this.reservesOpenedFen += leg.deltaFen
    }
    if (net !== 0) this.violate(`${p.bank} ${p.entry}: unbalanced by ${net} fen`)
    if (/^(auth|reversal|tc|clear|advice|loan|escrow-\w+):/.test(p.entry)) {
      const key = `${p.bank}/${p.entry}`
      if (this.uniqueEntries.has(key)) this.violate(`${key} posted twice`)
      this.uniqueEntries.add(key)
    }
  }

  private onAuth(a: AuthSignal): void {
    if (a.state === "settled" && this.standInFlight.has(a.id))
      this.violate(`stand-in ${a.id} settled before its advice posted`)
    this.auths.set(a.id, a.state)
  }

  private onStandIn(s: StandInSignal): void {
    if (s.state === "approved") {
      if (this.standInFlight.has(s.id) || this.standInPosted.has(s.id))
        this.violate(`stand-in ${s.id} approved twice`)
      this.standInFlight.set(s.id, s.amountFen)
      return
    }
    const fen = this.standInFlight.get(s.id)
    if (fen === undefined) this.violate(`advice ${s.id} posted without an open stand-in approval`)
    else if (fen !== s.amountFen) this.violate(`advice ${s.id}: ${s.amountFen} fen posted, ${fen} approved`)
    this.standInFlight.delete(s.id)
    this.standInPosted.add(s.id)
  }

  private onEscrow(e: EscrowSignal): void {
    if (e.state === "held") {
      if (this.escrowOpen.has(e.id) || this.escrowClosed.has(e.id)) this.violate(`escrow ${e.id} held twice`)
      this.escrowOpen.set(e.id, [e.bank, e.amountFen])
      return
    }
    const open = this.escrowOpen.get(e.id)
    if (open === undefined) this.violate(`escrow ${e.id} ${e.state} without an open hold`)
    else if (open[1] !== e.amountFen)
      this.violate(`escrow ${e.id} ${e.state} ${e.amountFen} fen, held ${open[1]}`)
    this.escrowOpen.delete(e.id)
    this.escrowClosed.add(e.id)
  }

  private onEcash(e: EcashSignal): void {
    const card = this.cards.get(e.pan)
    const before = card?.fen ?? 0
    if (before + e.deltaFen !== e.balanceAfterFen)
      this.violate(`card ${e.pan}: ${before} + ${e.deltaFen} ≠ reported ${e.balanceAfterFen}`)
    this.cards.set(e.pan, { issuer: e.issuer, fen: e.balanceAfterFen })
  }

  private onTc(t: TcSignal): void {
    const prev = this.tcState.get(t.id)
    if (prev !== undefined && (prev.state === "cleared" || prev.state === "rejected"))
      this.violate(`TC ${t.id} ${t.state} after ${prev.state}`)
    if (t.state === "rejected") this.tcHeld.set(t.issuer, (this.tcHeld.get(t.issuer) ?? 0) + t.amountFen)
    this.tcState.set(t.id, t)
  }

  private onClearing(c: ClearingSignal): void {
    const sum = Object.values(c.positions).reduce((s, v) => s + v, 0)
    if (sum !== 0) this.violate(`clearing cycle ${c.cycle}: positions sum to ${sum}`)
  }

  private checkInstant(timeUs: number): void {
    this.checks++
    this.dirty = false
    let reserves = 0
    for (const [key, fen] of this.balances) if (key.endsWith("/reserve")) reserves += fen
    if (reserves !== this.reservesOpenedFen)
      this.violate(`t=${timeUs}: reserves ${reserves} ≠ opened ${this.reservesOpenedFen}`)
    const expected = new Map<string, number>(this.tcHeld)
    for (const c of this.cards.values()) expected.set(c.issuer, (expected.get(c.issuer) ?? 0) + c.fen)
    for (const t of this.tcState.values())
      if (t.state === "captured" || t.state === "presented")
        expected.set(t.issuer, (expected.get(t.issuer) ?? 0) + t.amountFen)
    for (const [issuer, fen] of expected) {
      const float = this.balances.get(`${issuer}/ecash-float`) ?? 0
      if (float !== fen) this.violate(`t=${timeUs}: ${issuer} e-cash float ${float} ≠ cards + TCs ${fen}`)
    }
    this.checkEscrow(timeUs)
  }

  private checkEscrow(timeUs: number): void {
    const held = new Map<string, number>()
    for (const [bank, fen] of this.escrowOpen.values()) held.set(bank, (held.get(bank) ?? 0) + fen)
    for (const [key, fen] of this.balances) {
      if (!key.endsWith("/escrow")) continue
      const bank = key.slice(0, -"/escrow".length)
      if (fen !== (held.get(bank) ?? 0))
        this.violate(`t=${timeUs}: ${bank} escrow ${fen} ≠ open holds ${held.get(bank) ?? 0}`)
    }
  }

  private violate(message: string): void {
    if (this.violations.length < VIOLATIONS_MAX) this.violations.push(message)
  }

  private report(): MoneyAuditReport {
    let deposits = 0
    let reserves = 0
    for (const [key, fen] of this.balances) {
      if (/\/(cust|merch):/.test(key)) deposits += fen
      if (key.endsWith("/reserve")) reserves += fen
    }
    let ecash = 0
    for (const c of this.cards.values()) ecash += c.fen
    let inFlight = 0
    for (const t of this.tcState.values())
      if (t.state === "captured" || t.state === "presented") inFlight += t.amountFen
    const authStates: Record<string, number> = {}
    for (const s of this.auths.values()) authStates[s] = (authStates[s] ?? 0) + 1
    return {
      checks: this.checks,
      violations: this.violations,
      reservesFen: reserves,
      depositsFen: deposits,
      ecashOnCardsFen: ecash,
      tcInFlightFen: inFlight,
      standInInFlightFen: [...this.standInFlight.values()].reduce((n, f) => n + f, 0),
      standIns: this.standInFlight.size + this.standInPosted.size,
      authStates,
    }
  }
}
