/**
 * One calibration's population in a run: the adoption schedule, built lazily as an ordered index
 * (one typed-array pass, no heap events up front), and each adopted user's next event (a
 * transaction, 挂失, the 补卡 decision, 销户 or a SIM swap), computed only when the previous one has fired — so
 * a run holds at most one pending event per active user (DESIGN.md §4); a SIM swap of a card on an
 * NFC-SIM leaves the card active on a new SE (its next generation). Every draw comes from the
 * stream (seed, purpose, user · 2^22 + the user's event sequence), a pure function of the user, so
 * nothing depends on the order other users' events are processed in.
 */
import type { Stream } from "../../sim/rng/stream.ts"
import { type AdoptionCurve, adoptionCurve, adoptionSecondsOf, NEVER } from "./adoption.ts"
import { drawAmountFen, drawKindIndex, nextTransactionUs } from "./behaviour.ts"
import { type DemandTable, demandTable } from "./demand-profiles.ts"
import {
  drawLifecycleInto,
  type LifecycleDraw,
  type LifecycleHazards,
  lifecycleHazards,
  reissueDueS,
  reissues,
} from "./lifecycle-events.ts"
import type { PopulationParams, TransactionKind } from "./population-params.ts"
import { CardState, LifecycleFlag, NO_TIME_S, PendingEvent, PopulationState } from "./population-state.ts"
import { StreamDeriver } from "./stream-deriver.ts"
import { activityOf, drawUserInto, emptyDraws, seTypeOf } from "./user.ts"

const US_PER_SECOND = 1_000_000
const EVENT_STREAM = "population.event"
/** Events per user before the stream index would run into the next user's. */
const EVENTS_PER_USER_MAX = 1 << 22

export interface PopulationRunOptions {
  /** Simulate only users whose index is a multiple of this (scale 1/stride); default 1 = everyone. */
  readonly sampleStride?: number
}

/** What `fire` reports; one reusable object, overwritten by each call. */
export interface PopulationEvent {
  kind: PendingEvent
  user: number
  /** For transactions: the kind, its index in the mix and the amount. */
  transactionKind: TransactionKind | null
  mixIndex: number
  amountFen: number
  /** For a reissue decision: whether a 补卡 follows (otherwise the card is closed). */
  reissued: boolean
}

export interface PopulationTotals {
  adoptions: number
  transactions: number
  valueFen: number
  losses: number
  reissues: number
  closures: number
  simSwaps: number
}

export class PopulationRun {
  readonly state: PopulationState
  readonly curve: AdoptionCurve
  readonly demand: DemandTable
  readonly hazards: LifecycleHazards
  readonly sampleStride: number
  readonly horizonUs: number
  readonly totals: PopulationTotals = {
    adoptions: 0,
    transactions: 0,
    valueFen: 0,
    losses: 0,
    reissues: 0,
    closures: 0,
    simSwaps: 0,
  }
  /** The next lifecycle event's kind per user (the pending event may be a transaction before it). */
  readonly nextLifecycle: Uint8Array
  private readonly order: Uint32Array
  private position = 0
  private readonly life: LifecycleDraw = { kind: PendingEvent.none, atS: 0 }
  private readonly events: StreamDeriver
  private readonly draws = emptyDraws()

  constructor(
    readonly params: PopulationParams,
    readonly seed: number,
    options: PopulationRunOptions = {},
  ) {
    this.sampleStride = options.sampleStride ?? 1
    if (!(Number.isSafeInteger(this.sampleStride) && this.sampleStride >= 1))
      throw new RangeError(`sampleStride ${this.sampleStride}`)
    this.state = new PopulationState(params.market.marketUsers)
    this.nextLifecycle = new Uint8Array(params.market.marketUsers)
    this.curve = adoptionCurve(params)
    this.demand = demandTable(params)
    this.hazards = lifecycleHazards(params)
    this.horizonUs = params.horizonDays * 86_400 * US_PER_SECOND
    this.events = new StreamDeriver(seed, EVENT_STREAM)
    this.order = this.buildOrder()
  }

  /** Typed-array bytes per user, the population's whole per-user footprint (incl. the schedule). */
  bytesPerUser(): number {
    return (
      this.state.bytesPerUser() + (this.nextLifecycle.byteLength + this.order.byteLength) / this.state.users
    )
  }

  /** Adoption times of the sampled users, then their indices ordered by (time, index) via a counting sort by day. */
  private buildOrder(): Uint32Array {
    const { adoptAtS, users } = this.state
    const days = this.params.horizonDays
    const perDay = new Uint32Array(days + 1)
    const draws = emptyDraws()
    let count = 0
    for (let i = 0; i < users; i += this.sampleStride) {
      const t = adoptionSecondsOf(this.params, this.curve, drawUserInto(this.seed, i, draws))
      if (t === NEVER) continue
      adoptAtS[i] = t
      perDay[Math.floor(t / 86_400) + 1]!++
      count++
    }
    for (let d = 1; d <= days; d++) perDay[d]! += perDay[d - 1]!
    const order = new Uint32Array(count)
    for (let i = 0; i < users; i += this.sampleStride) {
      const t = adoptAtS[i]!
      if (t !== NO_TIME_S) order[perDay[Math.floor(t / 86_400)]!++] = i
    }
    let start = 0
    for (let d = 0; d < days; d++) {
      const end = perDay[d]!
      order.subarray(start, end).sort((a, b) => adoptAtS[a]! - adoptAtS[b]! || a - b)
      start = end
    }
    return order
  }

  /** Sampled users who adopt within the horizon. */
  get adoptersScheduled(): number {
    return this.order.length
  }

  /** The instant of the next adoption in µs, or -1 when the schedule is exhausted. */
  nextAdoptionUs(): number {
    if (this.position >= this.order.length) return -1
    return this.state.adoptAtS[this.order[this.position]!]! * US_PER_SECOND
  }

  /** How many adopters the schedule has handed out (`takeAdopter`): the next one's position. */
  get adoptionPosition(): number {
    return this.position
  }

  /** The adopter at `position` of the schedule (0 first), a look ahead that takes nothing. */
  adopterAt(position: number): number {
    if (position < 0 || position >= this.order.length) throw new RangeError(`no adopter at ${position}`)
    return this.order[position]!
  }

  /** The scheduled instant of `user`'s adoption in µs (the schedule's time; the run starts at 0). */
  adoptionUsOf(user: number): number {
    return this.state.adoptAtS[user]! * US_PER_SECOND
  }

  /** Takes the next adopter from the schedule; the caller then calls `adopt` at its instant. */
  takeAdopter(): number {
    if (this.position >= this.order.length) throw new RangeError("no adoption left")
    return this.order[this.position++]!
  }

  private eventStream(user: number): Stream {
    const seq = this.state.eventSeq[user]!
    if (seq >= EVENTS_PER_USER_MAX) throw new RangeError(`user ${user} used ${seq} event streams`)
    this.state.eventSeq[user] = seq + 1
    return this.events.stream(user * EVENTS_PER_USER_MAX + seq)
  }

  private activate(user: number, nowUs: number): void {
    const st = this.state
    st.cardState[user] = CardState.active
    const nowS = Math.floor(nowUs / US_PER_SECOND)
    const onNfcSim = seTypeOf(this.params, drawUserInto(this.seed, user, this.draws)) === "NFC-SIM"
    drawLifecycleInto(this.hazards, nowS, this.eventStream(user), this.life, onNfcSim)
    st.lifecycleAtS[user] = this.life.atS * US_PER_SECOND < this.horizonUs ? this.life.atS : NO_TIME_S
    this.nextLifecycle[user] = this.life.kind
  }

  /** Marks the user adopted (card issued) at `nowUs`; then ask `nextEventUs`. */
  adopt(user: number, nowUs: number): void {
    if (this.state.cardState[user] !== CardState.none) throw new RangeError(`user ${user} adopted twice`)
    this.state.activity[user] = activityOf(this.params, this.seed, user)
    this.totals.adoptions++
    this.activate(user, nowUs)
  }

  /** Computes and records the user's one next event after `nowUs`; returns its instant or -1. */
  nextEventUs(user: number, nowUs: number): number {
    const st = this.state
    const state = st.cardState[user]
    const lifeS = st.lifecycleAtS[user]!
    const lifeUs = lifeS === NO_TIME_S ? -1 : lifeS * US_PER_SECOND
    st.pendingEvent[user] = PendingEvent.none
    if (state === CardState.lost) {
      if (lifeUs >= 0) st.pendingEvent[user] = PendingEvent.reissueDue
      return lifeUs
    }
    if (state !== CardState.active) return -1
    const perMonth = this.params.behaviour.transactionsPerUserPerMonth * st.activity[user]!
    const txUs = nextTransactionUs(this.demand, perMonth, nowUs, this.eventStream(user))
    if (txUs >= 0 && txUs < this.horizonUs && (lifeUs < 0 || txUs < lifeUs)) {
      st.pendingEvent[user] = PendingEvent.transaction
      return txUs
    }
    if (lifeUs >= 0) st.pendingEvent[user] = this.nextLifecycle[user]! as PendingEvent
    return lifeUs
  }

  /** Applies the user's pending event at `nowUs` and describes it in `out`. */
  fire(user: number, nowUs: number, out: PopulationEvent): PopulationEvent {
    const st = this.state
    const kind = st.pendingEvent[user]! as PendingEvent
    st.pendingEvent[user] = PendingEvent.none
    out.kind = kind
    out.user = user
    out.transactionKind = null
    out.mixIndex = -1
    out.amountFen = 0
    out.reissued = false
    if (kind === PendingEvent.transaction) this.transact(user, nowUs, out)
    else if (kind === PendingEvent.loss) this.lose(user, nowUs)
    else if (kind === PendingEvent.reissueDue) this.decideReissue(user, nowUs, out)
    else if (kind === PendingEvent.close) this.close(user, LifecycleFlag.closedVoluntarily)
    else if (kind === PendingEvent.simSwap) this.swapSim(user, nowUs)
    else throw new RangeError(`user ${user} has no pending event`)
    return out
  }

  private transact(user: number, nowUs: number, out: PopulationEvent): void {
    const s = this.eventStream(user)
    const k = drawKindIndex(this.demand, nowUs, s)
    const kind = this.params.behaviour.mix[k]!
    out.mixIndex = k
    out.transactionKind = kind.kind
    out.amountFen = drawAmountFen(kind, s)
    this.state.transactions[user]!++
    this.totals.transactions++
    this.totals.valueFen += out.amountFen
  }

  private lose(user: number, nowUs: number): void {
    const st = this.state
    st.cardState[user] = CardState.lost
    st.flags[user]! |= LifecycleFlag.everLost
    const dueS = reissueDueS(this.params, Math.floor(nowUs / US_PER_SECOND))
    st.lifecycleAtS[user] = dueS * US_PER_SECOND < this.horizonUs ? dueS : NO_TIME_S
    this.totals.losses++
  }

  private decideReissue(user: number, nowUs: number, out: PopulationEvent): void {
    out.reissued = reissues(this.params, this.eventStream(user))
    if (!out.reissued) {
      this.close(user, LifecycleFlag.closedAfterLoss)
      return
    }
    this.nextGeneration(user)
    this.totals.reissues++
    this.activate(user, nowUs)
  }

  /** A SIM swap: the card moves onto the new SIM (a new generation) and stays active there. */
  private swapSim(user: number, nowUs: number): void {
    this.nextGeneration(user)
    this.totals.simSwaps++
    this.activate(user, nowUs)
  }

  private nextGeneration(user: number): void {
    this.state.cardGeneration[user] = Math.min(255, this.state.cardGeneration[user]! + 1)
  }

  private close(user: number, flag: number): void {
    this.state.cardState[user] = CardState.closed
    this.state.flags[user]! |= flag
    this.state.lifecycleAtS[user] = NO_TIME_S
    this.totals.closures++
  }
}
