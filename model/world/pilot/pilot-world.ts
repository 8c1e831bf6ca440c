/**
 * The pilot's composition (issue 7): kernel + event digest + population + the parties'
 * capacities + byte-level cards + the fault plan. Background users only occupy capacity and
 * count in the KPIs; the byte-level sample also runs real cards (byte-level-cards.ts). Users'
 * transactions count only once their card has really been issued, so a slow or broken issuance
 * chain shows in the transaction and value KPIs too.
 */

import { applyFaultPlan } from "../../../sim/faults/apply-faults.ts"
import type { Fault } from "../../../sim/faults/fault-plan.ts"
import { type FaultTarget, resourceTarget } from "../../../sim/faults/fault-target.ts"
import { Kernel } from "../../../sim/kernel/kernel.ts"
import { makePort, type Port } from "../../../sim/kernel/port.ts"
import { EventDigest } from "../../../sim/recorder/digest.ts"
import { SignalBus } from "../../../sim/recorder/signals.ts"
import { daysFromIso, isoFromDays } from "../../calendar/civil-calendar.ts"
import type { Crypto } from "../../crypto/crypto.ts"
import type { PopulationParams, TransactionKind } from "../../population/population-params.ts"
import { startPopulation } from "../../population/population-process.ts"
import { type PopulationEvent, PopulationRun } from "../../population/population-run.ts"
import { PendingEvent } from "../../population/population-state.ts"
import { drawUserInto, emptyDraws, homeBankOf } from "../../population/user.ts"
import { FAULT_TARGET_PARTIES, type FaultTargetKey, PILOT_NETWORK, type UtilisationKey } from "../network.ts"
import { ByteLevelCards, isByteLevelUser } from "./byte-level-cards.ts"
import { type CryptoCounts, countingCrypto } from "./counting-crypto.ts"
import type { HeldResource } from "./held-resource.ts"
import { type Flow, IssuanceFlows } from "./issuance-flows.ts"
import { PartyDecisions } from "./party-decisions.ts"
import type { PilotScenario } from "./pilot-scenario.ts"
import { ServerPool } from "./server-pool.ts"

export const US_PER_DAY = 86_400_000_000
const US_PER_HOUR = 3_600_000_000

/** Remote kinds that cross banks go through the switch; card-present offline kinds reach no host. */
const VIA_SWITCH: ReadonlySet<TransactionKind> = new Set([
  "purchase-online",
  "e-commerce",
  "transfer",
  "utility",
])
const OFFLINE: ReadonlySet<TransactionKind> = new Set(["purchase-offline", "transit"])

const Flag = { issued: 1, byteLevel: 2, gzt: 4 } as const

export interface FaultWindowRecord {
  party: string
  startUs: number
  endUs: number
}

export interface PilotTotals {
  cards: number
  reissued: number
  transactions: number
  valueFen: number
  transactionsFailed: number
  transactionsBeforeCard: number
  losses: number
  closures: number
  /** Card-flag transitions, for the conservation check: +1 issued, −1 lost or closed. */
  cardsHeldCounted: number
  /** Byte-level issuances whose real chain failed (not issued). */
  byteLevelIssuancesFailed: number
  /** Byte-level card-present payments the issuer declined (also in transactionsFailed). */
  byteLevelDeclined: number
}

export interface PilotWorld {
  readonly scenario: PilotScenario
  readonly population: PopulationParams
  readonly scale: number
  readonly seed: number
  readonly kernel: Kernel
  readonly port: Port
  readonly digest: EventDigest
  readonly run: PopulationRun
  readonly flows: IssuanceFlows
  readonly bankHost: ServerPool
  readonly unionpaySwitch: ServerPool
  readonly mtps: ServerPool
  readonly cards: ByteLevelCards
  readonly cryptoCounts: CryptoCounts
  readonly userFlags: Uint8Array
  readonly totals: PilotTotals
  readonly faultWindows: FaultWindowRecord[]
  readonly faultProblems: ReadonlyArray<string>
  /** Each party's decisions and errors (summary.json `parties`). */
  readonly decisions: PartyDecisions
  readonly timeZeroDays: number
  byteLevelUsers: number
}

export interface WorldOptions {
  readonly scenario: PilotScenario
  readonly population: PopulationParams
  readonly scale: number
  readonly seed: number
  readonly crypto: Crypto
}

/** Each utilisation party's servers in this world (held resources and server pools, by key). */
export const partyMeters = (w: PilotWorld): Readonly<Record<UtilisationKey, HeldResource | ServerPool>> => ({
  tsmHsm: w.flows.hsm,
  tsmOrders: w.flows.orders,
  tsmOtaSessions: w.flows.otaSessions,
  mtps: w.mtps,
  bankHost: w.bankHost,
  unionpaySwitch: w.unionpaySwitch,
})

export const buildPilotWorld = (o: WorldOptions): PilotWorld => {
  const kernel = new Kernel({ capacity: 1 << 16 })
  const digest = new EventDigest()
  kernel.log = digest
  const port = makePort(kernel, o.seed, new SignalBus(digest))
  const c = o.scenario.capacity
  const bankHost = new ServerPool(PILOT_NETWORK.bankHost.id, c.bankHost.servers)
  const unionpaySwitch = new ServerPool(PILOT_NETWORK.unionpaySwitch.id, c.unionpaySwitch.servers)
  const mtps = new ServerPool(PILOT_NETWORK.mtps.id, c.mtps.servers)
  const { crypto, counts } = countingCrypto(o.crypto)
  const run = new PopulationRun(o.population, o.seed)
  const world: PilotWorld = {
    ...o,
    kernel,
    port,
    digest,
    run,
    bankHost,
    unionpaySwitch,
    mtps,
    flows: null as unknown as IssuanceFlows,
    cards: new ByteLevelCards(crypto, o.seed, {
      keySeed: keySeedOf(o.scenario, o.seed),
      population: o.population,
      ota: c.telcoOta,
      startS: daysFromIso(o.population.timeZeroDate) * 86_400,
      now: () => kernel.nowUs,
      wrongIssuerKeyFraction: o.scenario.fidelity.wrongIssuerKeyFraction ?? 0,
      digest,
    }),
    cryptoCounts: counts,
    userFlags: new Uint8Array(o.population.market.marketUsers),
    totals: {
      cards: 0,
      reissued: 0,
      transactions: 0,
      valueFen: 0,
      transactionsFailed: 0,
      transactionsBeforeCard: 0,
      losses: 0,
      closures: 0,
      cardsHeldCounted: 0,
      byteLevelIssuancesFailed: 0,
      byteLevelDeclined: 0,
    },
    faultWindows: [],
    faultProblems: [],
    decisions: new PartyDecisions(),
    timeZeroDays: daysFromIso(o.population.timeZeroDate),
    byteLevelUsers: 0,
  }
  const flows = new IssuanceFlows(port, kernel, c, bankHost, mtps, port.stream("pilot.ota"), {
    issued: (flow) => onIssued(world, flow),
    abandoned: () => {},
  })
  Object.assign(world, { flows })
  startPopulationListener(world)
  scheduleCampaigns(world)
  Object.assign(world, { faultProblems: applyFaults(world) })
  scheduleKeyRotations(world)
  return world
}

/**
 * Key rotations (scenario 13) run on the byte-level cards held at their instant. The handler is
 * registered only when the scenario has rotations, and last, so no other handler's id — and no
 * other scenario's digest — changes.
 */
const scheduleKeyRotations = (w: PilotWorld): void => {
  const rotations = w.scenario.keyRotations ?? []
  if (rotations.length === 0) return
  const handler = w.port.register<null>("pilot.key-rotation", () => w.cards.rotateAll())
  rotations.forEach((r, i) => {
    const atUs = (daysFromIso(r.date) - w.timeZeroDays) * US_PER_DAY + (r.hour ?? 0) * US_PER_HOUR
    w.port.after(Math.max(0, atUs), handler, i, null)
  })
}

/**
 * The run's key seed (issue 12 item 4): the scenario's `crypto.keySeed`, or one derived from the
 * seed. Every key of the byte-level flows derives from it.
 */
export const keySeedOf = (scenario: PilotScenario, seed: number): string =>
  scenario.crypto?.keySeed ?? `seed-${seed}`

/**
 * The issuance is done; a byte-level user's card is issued for real first, and a card whose real
 * issuance failed (an envelope rejected, the SE refused) is not issued: the order counts as
 * abandoned with its reason (net-issuance moves this into the personalize step, with `cardUs`).
 */
const onIssued = (w: PilotWorld, flow: Flow): void => {
  const users = w.userFlags.length
  const byteLevel =
    flow.user < users ? (w.userFlags[flow.user]! & Flag.byteLevel) !== 0 : takeByteLevel(w, flow.user)
  if (byteLevel) {
    const generation = flow.user < users ? w.run.state.reissues[flow.user]! : 0
    const work = w.cards.issue(flow.user, generation)
    if (!work.ok) {
      w.decisions.error(PILOT_NETWORK.tsmOrders.id, `byte-level: ${work.reason}`).n++
      w.totals.byteLevelIssuancesFailed++
      return
    }
  }
  if (flow.path === "reissue") w.totals.reissued++
  else w.totals.cards++
  if (flow.user < users) {
    w.userFlags[flow.user]! |= Flag.issued
    w.totals.cardsHeldCounted++
  }
}

/** Whether `user` would be byte-level (the hash pick and the cap), without taking a place. */
export const wantsByteLevel = (w: PilotWorld, user: number): boolean => {
  const f = w.scenario.fidelity
  return (
    w.byteLevelUsers < (f.byteLevelUsersMax ?? Number.POSITIVE_INFINITY) &&
    isByteLevelUser(w.seed, user, f.byteLevelFraction)
  )
}

/** Whether a new user joins the byte-level sample (deterministic by index, bounded in number). */
const takeByteLevel = (w: PilotWorld, user: number): boolean => {
  if (!wantsByteLevel(w, user)) return false
  w.byteLevelUsers++
  return true
}

const startPopulationListener = (w: PilotWorld): void => {
  const draws = emptyDraws()
  startPopulation(w.port, w.run, {
    onAdoption: (user) => {
      const bank = homeBankOf(w.population, drawUserInto(w.seed, user, draws))
      let flags = bank.scope === "local" ? Flag.gzt : 0
      if (takeByteLevel(w, user)) flags |= Flag.byteLevel
      w.userFlags[user] = flags
      w.flows.start(user, bank.scope === "local" ? "local-bank" : "national-bank", bank.scope === "local")
    },
    onEvent: (ev, now) => onPopulationEvent(w, ev, now),
  })
}

const onPopulationEvent = (w: PilotWorld, ev: Readonly<PopulationEvent>, now: number): void => {
  const user = ev.user
  const flags = w.userFlags[user]!
  if (ev.kind === PendingEvent.transaction) {
    transact(w, ev, now, flags)
    return
  }
  if (ev.kind === PendingEvent.reissueDue) {
    if (ev.reissued) w.flows.start(user, "reissue", (flags & Flag.gzt) !== 0)
    else w.totals.closures++
    return
  }
  // 挂失 (the bank hot-lists the card) or 销户: the card stops working at once.
  if (ev.kind === PendingEvent.loss) w.totals.losses++
  else w.totals.closures++
  if ((flags & Flag.issued) !== 0) {
    w.userFlags[user] = flags & ~Flag.issued
    w.totals.cardsHeldCounted--
  }
  if ((flags & Flag.byteLevel) !== 0) w.cards.forget(user)
  w.bankHost.reserve(now, w.scenario.capacity.bankHost.serviceUs, w.scenario.capacity.transactionTimeoutUs)
}

const transact = (w: PilotWorld, ev: Readonly<PopulationEvent>, now: number, flags: number): void => {
  if ((flags & Flag.issued) === 0) {
    w.totals.transactionsBeforeCard++
    return
  }
  const kind = ev.transactionKind!
  const c = w.scenario.capacity
  if (!OFFLINE.has(kind)) {
    let at = now
    if (VIA_SWITCH.has(kind))
      at = w.unionpaySwitch.reserve(now, c.unionpaySwitch.serviceUs, c.transactionTimeoutUs)
    // The host's reservation is made at `now` too, so its arrivals stay in time order (server-pool.ts).
    if (at >= 0) at = w.bankHost.reserve(now, c.bankHost.serviceUs, c.transactionTimeoutUs)
    if (at < 0) {
      w.totals.transactionsFailed++
      return
    }
  }
  if ((flags & Flag.byteLevel) !== 0) {
    const work = w.cards.transact(ev.user, kind, ev.amountFen, isoOfUs(w, now))
    if (!work.ok) {
      // The issuer declined it (a cryptogram that did not verify): a failed transaction, counted.
      w.decisions.error(PILOT_NETWORK.bankHost.id, `byte-level: ${work.reason}`).n++
      w.totals.transactionsFailed++
      w.totals.byteLevelDeclined++
      return
    }
  }
  w.totals.transactions++
  w.totals.valueFen += ev.amountFen
}

const isoOfUs = (w: PilotWorld, nowUs: number): string =>
  isoFromDays(w.timeZeroDays + Math.floor(nowUs / US_PER_DAY))

/** Batch campaigns: orders at a steady spacing from the campaign's first day, users beyond the market. */
const scheduleCampaigns = (w: PilotWorld): void => {
  let nextUser = w.userFlags.length
  for (const campaign of w.scenario.campaignIssuances) {
    const cards = Math.max(1, Math.round(campaign.cards * w.scale))
    const spacingUs = Math.max(1, Math.round(US_PER_HOUR / Math.max(1, campaign.ordersPerHour * w.scale)))
    const first = nextUser
    nextUser += cards
    const startUs = (daysFromIso(campaign.startDate) - w.timeZeroDays) * US_PER_DAY
    const handler = w.port.register<null>(`pilot.campaign.${campaign.name}`, (k) => {
      w.flows.start(first + k, "campaign", true)
      if (k + 1 < cards) w.port.after(spacingUs, handler, k + 1, null)
    })
    w.port.after(startUs, handler, 0, null)
  }
}

/** Outages on the calendar plus the plan's own faults, on named targets that record their windows. */
const applyFaults = (w: PilotWorld): ReadonlyArray<string> => {
  const outages: Fault[] = w.scenario.outages.map((o) => ({
    kind: "outage",
    target: o.target,
    startUs: (daysFromIso(o.startDate) - w.timeZeroDays) * US_PER_DAY + (o.startHour ?? 0) * US_PER_HOUR,
    durationUs: Math.round(o.durationHours * US_PER_HOUR),
  }))
  // One fault target per party of the network (a party without one is a type error here).
  const byParty: Readonly<Record<FaultTargetKey, FaultTarget>> = {
    tsmHsm: resourceTarget(w.flows.hsm.resource),
    tsmOrders: resourceTarget(w.flows.orders.resource),
    tsmOtaSessions: resourceTarget(w.flows.otaSessions.resource),
    mtps: w.mtps.faultTarget(),
    telcoOta: w.flows.otaFaultTarget(),
    bankHost: w.bankHost.faultTarget(),
    unionpaySwitch: w.unionpaySwitch.faultTarget(),
  }
  const targets = new Map(
    FAULT_TARGET_PARTIES.map((p) => [p.id, recordingTarget(w, p.id, byParty[p.key])] as const),
  )
  return applyFaultPlan(w.kernel, w.seed, { faults: [...outages, ...w.scenario.faults] }, targets)
}

/**
 * A fault target that also records its fault windows in `w.faultWindows` (outages counted, so
 * overlapping faults on one party make one window), for scheduled and injected faults alike.
 */
export const recordingTarget = (w: PilotWorld, party: string, inner: FaultTarget): FaultTarget => {
  let downs = 0
  let open: FaultWindowRecord | null = null
  return {
    setDown: (down) => {
      downs += down ? 1 : -1
      inner.setDown(down)
      if (downs > 0 && open === null) {
        open = { party, startUs: w.kernel.nowUs, endUs: -1 }
        w.faultWindows.push(open)
      } else if (downs === 0 && open !== null) {
        open.endUs = w.kernel.nowUs
        open = null
      }
    },
    degrade: (spec) => {
      inner.degrade(spec)
      if (spec !== null)
        w.faultWindows.push({
          party: `${party} (degraded)`,
          startUs: w.kernel.nowUs,
          endUs: w.kernel.nowUs + spec.durationUs,
        })
    },
  }
}
