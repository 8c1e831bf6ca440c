/**
 * The pilot's composition (issue 7): kernel + event digest + population + the parties'
 * capacities + byte-level cards + the fault plan. Background users only occupy capacity and
 * count in the KPIs; the byte-level sample also runs real cards (byte-level-cards.ts). Users'
 * transactions count only once their card has really been issued, so a slow or broken issuance
 * chain shows in the transaction and value KPIs too.
 */

import { applyFaultPlan } from "../../../sim/faults/apply-faults.ts"
import type { Fault } from "../../../sim/faults/fault-plan.ts"
import type { FaultTarget } from "../../../sim/faults/fault-target.ts"
import { Kernel } from "../../../sim/kernel/kernel.ts"
import { makePort, type Port } from "../../../sim/kernel/port.ts"
import { EventDigest } from "../../../sim/recorder/digest.ts"
import { SignalBus } from "../../../sim/recorder/signals.ts"
import { daysFromIso, isoFromDays } from "../../calendar/civil-calendar.ts"
import type { Crypto } from "../../crypto/crypto.ts"
import type { PopulationParams } from "../../population/population-params.ts"
import { startPopulation } from "../../population/population-process.ts"
import { PopulationRun } from "../../population/population-run.ts"
import { CardState } from "../../population/population-state.ts"
import { drawUserInto, emptyDraws, homeBankOf } from "../../population/user.ts"
import { FAULT_TARGET_PARTIES, type FaultTargetKey, PILOT_NETWORK, type UtilisationKey } from "../network.ts"
import { adoptionForecast } from "./byte-level/adoption-forecast.ts"
import { IssuanceJobRunner, type IssuanceJobSetup } from "./byte-level/issuance-job.ts"
import { IssuanceJobs, inlinePlane } from "./byte-level/issuance-plane.ts"
import { workerPlane } from "./byte-level/worker-plane.ts"
import { ByteLevelCards, isByteLevelUser } from "./byte-level-cards.ts"
import { type CryptoCounts, countingCrypto } from "./counting-crypto.ts"
import { IssuanceRegistries } from "./issuance/issuance-registries.ts"
import { type Flow, ISSUING, IssuanceFlows } from "./issuance-flows.ts"
import { PartyDecisions } from "./party-decisions.ts"
import { PilotPayments } from "./payments/pilot-payments.ts"
import type { PilotParties } from "./pilot-party-layers.ts"
import type { PilotScenario } from "./pilot-scenario.ts"
import { ServerPool } from "./server-pool.ts"
import { Flag, onPopulationEvent } from "./user-events.ts"

export const US_PER_DAY = 86_400_000_000
const US_PER_HOUR = 3_600_000_000

/** A party down (an outage, `endUs` −1 while open) or degraded (its end known from the start). */
export interface FaultWindowRecord {
  /** The party's id (model/world/network.ts). */
  party: string
  kind: "outage" | "degraded"
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
  /** SIM swaps whose card the new SIM got (the card re-issued OTA). */
  simSwaps: number
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
  /** The parties' decisions the world runs (the faithful ones, or a swapped layer's). */
  readonly parties: PilotParties
  readonly kernel: Kernel
  readonly port: Port
  readonly digest: EventDigest
  readonly run: PopulationRun
  readonly flows: IssuanceFlows
  readonly bankHost: ServerPool
  readonly unionpaySwitch: ServerPool
  readonly mtps: ServerPool
  readonly cards: ByteLevelCards
  /** The byte-level issuances as jobs of the byte plane (posted by order start, taken at create-ssd). */
  readonly issuanceJobs: IssuanceJobs
  readonly cryptoCounts: CryptoCounts
  readonly userFlags: Uint8Array
  readonly totals: PilotTotals
  readonly faultWindows: FaultWindowRecord[]
  readonly faultProblems: ReadonlyArray<string>
  /** Each party's decisions and errors (summary.json `parties`). */
  readonly decisions: PartyDecisions
  /** Every transaction through the switch, the issuer hosts, the ledgers and the daily clearing. */
  readonly payments: PilotPayments
  readonly timeZeroDays: number
  byteLevelUsers: number
}

export interface WorldOptions {
  readonly scenario: PilotScenario
  readonly population: PopulationParams
  readonly scale: number
  readonly seed: number
  readonly crypto: Crypto
  /** The parties' decisions, resolved from their layers once per run (pilot-root.ts). */
  readonly parties: PilotParties
  /**
   * Threads for the run: 1 runs the byte-level issuances on the kernel's thread, 2 or more on one
   * worker beside it (issuance-plane.ts); same digest either way. Default 1.
   */
  readonly threads?: number
}

/** Each utilisation party's servers in this world (the server pools the parties own, by key). */
export const partyMeters = (w: PilotWorld): Readonly<Record<UtilisationKey, ServerPool>> => ({
  tsmHsm: w.flows.hsm,
  tsmOrders: w.flows.orders,
  tsmOtaSessions: w.flows.otaSessions,
  mtps: w.mtps,
  bankHost: w.bankHost,
  unionpaySwitch: w.unionpaySwitch,
})

const emptyTotals = (): PilotTotals => ({
  cards: 0,
  reissued: 0,
  transactions: 0,
  valueFen: 0,
  transactionsFailed: 0,
  transactionsBeforeCard: 0,
  losses: 0,
  closures: 0,
  simSwaps: 0,
  cardsHeldCounted: 0,
  byteLevelIssuancesFailed: 0,
  byteLevelDeclined: 0,
})

/** The issuance orders' runner over the parties' registries, with the byte-level hook (issuance-flows.ts). */
const issuanceFlowsOf = (world: PilotWorld): IssuanceFlows => {
  const o = world.scenario
  const campaignCards = o.campaignIssuances.reduce((n, k) => n + campaignSize(k.cards, world.scale), 0)
  return new IssuanceFlows(
    world.port,
    o.capacity,
    world.bankHost,
    world.userFlags.length + campaignCards,
    (slots) => new IssuanceRegistries(slots, world.population, world.seed),
    world.port.stream("pilot.ota"),
    {
      byteLevel: (user) => isByteLevel(world, user),
      // A market user's sample flag is set at adoption; a campaign user is drawn at create-ssd.
      begin: (user) => {
        if (user < world.userFlags.length && (world.userFlags[user]! & Flag.byteLevel) !== 0)
          world.issuanceJobs.post(user, generationOf(world, user))
      },
      // The card's job is taken at the first step that needs it; the card then waits for its steps.
      issue: (user, step) => {
        const generation = generationOf(world, user)
        if (!world.cards.hasPending(user, generation)) world.issuanceJobs.collect(user, generation)
        const work = world.cards.issue(user, generation, step)
        if (!work.ok) world.totals.byteLevelIssuancesFailed++
        return work
      },
    },
    world.decisions,
    {
      issued: (flow) => onIssued(world, flow),
      // An order that ends before its card's job is taken drops the job; one that ends between
      // create-ssd and personalize drops the card made, never held (cards-held-are-active).
      abandoned: (flow) => {
        if (!ISSUING.has(flow.kind)) return
        world.issuanceJobs.discard(flow.user)
        world.cards.dropPending(flow.user)
      },
    },
    world.parties,
  )
}

export const buildPilotWorld = (o: WorldOptions): PilotWorld => {
  const kernel = new Kernel({ capacity: 1 << 16 })
  const digest = new EventDigest()
  kernel.log = digest
  const port = makePort(kernel, o.seed, new SignalBus(digest))
  const c = o.scenario.capacity
  const bankHost = new ServerPool(PILOT_NETWORK.bankHost.id, c.bankHost.servers)
  const unionpaySwitch = new ServerPool(PILOT_NETWORK.unionpaySwitch.id, c.unionpaySwitch.servers)
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
    mtps: null as unknown as ServerPool,
    flows: null as unknown as IssuanceFlows,
    cards: new ByteLevelCards(crypto, o.seed, { ...jobSetupOf(o), now: () => kernel.nowUs, digest }),
    issuanceJobs: null as unknown as IssuanceJobs,
    cryptoCounts: counts,
    userFlags: new Uint8Array(o.population.market.marketUsers),
    totals: emptyTotals(),
    faultWindows: [],
    faultProblems: [],
    decisions: new PartyDecisions(),
    payments: null as unknown as PilotPayments,
    timeZeroDays: daysFromIso(o.population.timeZeroDate),
    byteLevelUsers: 0,
  }
  Object.assign(world, { issuanceJobs: issuanceJobsOf(world, o) })
  const flows = issuanceFlowsOf(world)
  Object.assign(world, { flows, mtps: flows.mtps })
  Object.assign(world, { payments: paymentsOf(world) })
  startPopulationListener(world)
  scheduleCampaigns(world)
  Object.assign(world, { faultProblems: applyFaults(world) })
  scheduleKeyRotations(world)
  scheduleHourlyUtilisation(world)
  return world
}

/** What the byte plane's runners need to issue the world's cards (plain data: a worker gets a copy). */
const jobSetupOf = (o: WorldOptions): IssuanceJobSetup => ({
  seed: o.seed,
  keySeed: keySeedOf(o.scenario, o.seed),
  population: o.population,
  startS: daysFromIso(o.population.timeZeroDate) * 86_400,
  wrongIssuerKeyFraction: o.scenario.fidelity.wrongIssuerKeyFraction ?? 0,
})

/**
 * The byte-level issuances' plane: on this thread, or on a worker beside the kernel when the run
 * has a second thread. The world's own chain now only replays the jobs' envelopes to the evidence
 * sinks: their bytes reach the digest inside each job's SM3 (issuance-plane.ts).
 */
const issuanceJobsOf = (w: PilotWorld, o: WorldOptions): IssuanceJobs => {
  const threads = o.threads ?? 1
  if (!Number.isInteger(threads) || threads < 1)
    throw new RangeError(`threads must be an integer ≥ 1, not ${threads}`)
  const setup = jobSetupOf(o)
  // A world with no byte-level user posts no job: no worker to start.
  const remote = threads > 1 && o.scenario.fidelity.byteLevelFraction > 0
  const plane = remote ? workerPlane(setup, o.crypto) : inlinePlane(new IssuanceJobRunner(o.crypto, setup))
  w.cards.chain.onEnvelope = null
  return new IssuanceJobs(
    w.cards,
    plane,
    w.cryptoCounts,
    () => w.kernel.nowUs,
    adoptionForecast(w.run, (user) => wantsByteLevel(w, user)),
  )
}

/** Each party's servers sampled every simulated hour, for their busiest hour (issue 12 item 6). */
const scheduleHourlyUtilisation = (w: PilotWorld): void => {
  const meters = Object.values(partyMeters(w))
  const handler = w.port.register<null>("pilot.utilisation-hour", () => {
    for (const m of meters) m.takeHour(US_PER_HOUR)
    w.port.after(US_PER_HOUR, handler, 0, null)
  })
  w.port.after(US_PER_HOUR, handler, 0, null)
}

const paymentsOf = (w: PilotWorld): PilotPayments => {
  const c = w.scenario.capacity
  return new PilotPayments({
    population: w.population,
    users: w.userFlags.length,
    decisions: w.decisions,
    bankHost: w.bankHost,
    unionpaySwitch: w.unionpaySwitch,
    serviceUs: { bankHost: c.bankHost.serviceUs, unionpaySwitch: c.unionpaySwitch.serviceUs },
    timeoutUs: c.transactionTimeoutUs,
    activity: w.run.state.activity,
    userTransactions: w.run.state.transactions,
    emit: (signal, payload) => w.port.emit(signal, payload),
    parties: w.parties,
    // A card that fails its part (a cryptogram the issuer's keys do not verify) fails the payment.
    cardWork: (user, kind, amountFen, nowUs) => {
      const work = w.cards.transact(user, kind, amountFen, isoOfUs(w, nowUs))
      if (!work.ok) w.totals.byteLevelDeclined++
      return work
    },
  })
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
 * The issuance is done. A byte-level user's real card was made in the order's personalize step
 * (issuance-flows.ts): a card whose real issuance failed never gets here, its step failed.
 */
const onIssued = (w: PilotWorld, flow: Flow): void => {
  if (flow.path === "reissue") w.totals.reissued++
  else if (flow.path === "sim-swap") w.totals.simSwaps++
  else w.totals.cards++
  if (flow.user < w.userFlags.length) {
    const state = w.run.state.cardState[flow.user]
    if (state !== CardState.active) return void settleLateCard(w, flow, state === CardState.lost)
    w.userFlags[flow.user]! |= Flag.issued
    w.totals.cardsHeldCounted++
    w.payments.enrol(flow.user, w.kernel.nowUs)
  }
}

/**
 * 挂失 or 销户 came while the card was being made (a first card, 补卡 or SIM swap): its lock or close
 * order could not start then (one order at a time per card), so the card is not held, and the
 * order the user asked for runs now on the card just issued.
 */
const settleLateCard = (w: PilotWorld, flow: Flow, lost: boolean): void => {
  if ((w.userFlags[flow.user]! & Flag.byteLevel) !== 0) w.cards.forget(flow.user)
  if (lost) w.flows.lock(flow.user, flow.viaGzt, false)
  else w.flows.close(flow.user, flow.viaGzt, false, false)
}

/** Whether `user` would be byte-level (the hash pick and the cap), without taking a place. */
export const wantsByteLevel = (w: PilotWorld, user: number): boolean => {
  const f = w.scenario.fidelity
  return (
    w.byteLevelUsers < (f.byteLevelUsersMax ?? Number.POSITIVE_INFINITY) &&
    isByteLevelUser(w.seed, user, f.byteLevelFraction)
  )
}

/** The card generation a byte-level issuance makes (the population's 补卡 count; campaigns: 0). */
const generationOf = (w: PilotWorld, user: number): number =>
  user < w.userFlags.length ? w.run.state.cardGeneration[user]! : 0

/**
 * Whether the user's issuance runs a real card. A campaign user (beyond the market) is drawn
 * into the sample when its SSD is created — asked once per card: a repeated request is answered
 * from the issuer's record (issuer-requests.ts), and a card already made is not asked about again.
 */
const isByteLevel = (w: PilotWorld, user: number): boolean =>
  user < w.userFlags.length ? (w.userFlags[user]! & Flag.byteLevel) !== 0 : takeByteLevel(w, user)

export const campaignSize = (cards: number, scale: number): number => Math.max(1, Math.round(cards * scale))

/** Whether a new user joins the byte-level sample (deterministic by index, bounded in number). */
const takeByteLevel = (w: PilotWorld, user: number): boolean => {
  if (!wantsByteLevel(w, user)) return false
  w.byteLevelUsers++
  return true
}

const startPopulationListener = (w: PilotWorld): void => {
  const draws = emptyDraws()
  const bankIndex = new Map(w.population.market.homeBanks.map((b, i) => [b.bankId, i] as const))
  startPopulation(w.port, w.run, {
    onAdoption: (user) => {
      const bank = homeBankOf(w.population, drawUserInto(w.seed, user, draws))
      w.payments.adopt(user, bankIndex.get(bank.bankId)!)
      let flags = bank.scope === "local" ? Flag.gzt : 0
      if (takeByteLevel(w, user)) flags |= Flag.byteLevel
      w.userFlags[user] = flags
      w.flows.start(user, bank.scope === "local" ? "local-bank" : "national-bank", bank.scope === "local")
    },
    onEvent: (ev, now) => onPopulationEvent(w, ev, now),
  })
}

const isoOfUs = (w: PilotWorld, nowUs: number): string =>
  isoFromDays(w.timeZeroDays + Math.floor(nowUs / US_PER_DAY))

/** Batch campaigns: orders at a steady spacing from the campaign's first day, users beyond the market. */
const scheduleCampaigns = (w: PilotWorld): void => {
  let nextUser = w.userFlags.length
  for (const campaign of w.scenario.campaignIssuances) {
    const cards = campaignSize(campaign.cards, w.scale)
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
    tsmHsm: w.flows.hsm.faultTarget(),
    tsmOrders: w.flows.orders.faultTarget(),
    tsmOtaSessions: w.flows.otaSessions.faultTarget(),
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
        open = { party, kind: "outage", startUs: w.kernel.nowUs, endUs: -1 }
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
          party,
          kind: "degraded",
          startUs: w.kernel.nowUs,
          endUs: w.kernel.nowUs + spec.durationUs,
        })
    },
  }
}
