/**
 * One pilot run: build the world, run it a simulated day at a time (a row of the phase KPIs and of
 * the parties' utilisation per day, progress to the caller), then check the invariants and hand
 * back everything the outcome needs. A pure function of (scenario, scale, seed, code version).
 */

import { daysFromIso } from "../../calendar/civil-calendar.ts"
import type { Crypto } from "../../crypto/crypto.ts"
import type { PopulationParams } from "../../population/population-params.ts"
import { CardState } from "../../population/population-state.ts"
import { UTILISATION_PARTIES } from "../network.ts"
import { publishedAppDays } from "./issuance/app-publishing.ts"
import { auditIssuance } from "./issuance/issuance-auditor.ts"
import { FAITHFUL_PARTIES, type PilotParties } from "./pilot-party-layers.ts"
import type { PilotScenario } from "./pilot-scenario.ts"
import { buildPilotWorld, type PilotWorld, partyMeters, US_PER_DAY } from "./pilot-world.ts"
import { scaledPopulation } from "./scaled-population.ts"

export const PHASE_COLUMNS = [
  { name: "cards", unit: "count" },
  { name: "apps", unit: "count" },
  { name: "transactions", unit: "count" },
  { name: "valueYuan", unit: "yuan" },
  { name: "cardsHeld", unit: "count" },
  { name: "issuancesInFlight", unit: "count" },
] as const

export interface PilotRunOptions {
  readonly scenario: PilotScenario
  readonly population: PopulationParams
  readonly scale: number
  readonly seed: number
  readonly crypto: Crypto
  /**
   * The parties' decisions, as the composition root (pilot-root.ts) resolves them from their
   * layers; absent = the faithful parties (what the default layers hold).
   */
  readonly parties?: PilotParties
  /** Threads for the byte plane (pilot-world.ts WorldOptions.threads); default 1. */
  readonly threads?: number
  /** Last simulated day (the end of this date); the scenario's `untilDate` when absent. */
  readonly untilDate?: string
  /** Called after each simulated day. */
  readonly onDay?: (day: number, days: number, run: PilotRunState) => void
  /** Called once the world is built, before its first event (tests plant defects here). */
  readonly beforeRun?: (world: PilotWorld) => void
}

export interface PilotRunState {
  readonly world: PilotWorld
  readonly days: number
  /** Daily rows [tUs, ...PHASE_COLUMNS]. */
  readonly phaseRows: number[][]
  /** Daily rows [tUs, ...utilisation ratio per UTILISATION_PARTIES (model/world/network.ts)]. */
  readonly utilisationRows: number[][]
  readonly invariants: Record<string, { checks: number; violations: number }>
  readonly violations: string[]
}

/** Apps in service at the end of day `day` (days from time zero; publication days, app-publishing.ts). */
export const appsBy = (launchDays: ReadonlyArray<number>, day: number): number =>
  launchDays.filter((d) => d <= day).length

/** What a pilot run starts from: the world, its length in days, the apps' launch days, empty rows. */
export interface PilotStart {
  readonly state: PilotRunState
  readonly days: number
  readonly launchDays: ReadonlyArray<number>
}

/**
 * Builds the world and the empty run state; the headless run and the viewer's paced driver both
 * start here, so they run the same events (their digests are compared in a test).
 */
export const startPilot = (
  o: Pick<
    PilotRunOptions,
    "scenario" | "population" | "scale" | "seed" | "crypto" | "parties" | "untilDate" | "threads"
  >,
): PilotStart => {
  const population = scaledPopulation(o.population, o.scale)
  const world = buildPilotWorld({
    scenario: o.scenario,
    population,
    scale: o.scale,
    seed: o.seed,
    crypto: o.crypto,
    parties: o.parties ?? FAITHFUL_PARTIES,
    ...(o.threads === undefined ? {} : { threads: o.threads }),
  })
  const zero = daysFromIso(population.timeZeroDate)
  const days = daysFromIso(o.untilDate ?? o.scenario.untilDate) - zero + 1
  // Issuance jobs posted ahead of their orders stop at the run's end (no work for orders never run).
  world.issuanceJobs.aheadUntilUs = days * US_PER_DAY
  const launchDays = publishedAppDays(o.scenario.apps, zero)
  const state: PilotRunState = {
    world,
    days,
    phaseRows: [],
    utilisationRows: [],
    invariants: {},
    violations: [],
  }
  return { state, days, launchDays }
}

export interface PilotBoundaryHooks {
  /** Called after each simulated day's rows are taken. */
  readonly onDay?: (day: number, days: number, run: PilotRunState) => void
  /** Called at every boundary after the day's rows (injections, the viewer's samples). */
  readonly onBoundary?: (atUs: number, run: PilotRunState) => void
}

/**
 * What a pilot run does at a boundary instant (the kernel's clock stands there, before that
 * instant's events): at the end of a day the day's rows, then the caller's hooks, and at the end of
 * the run the invariants. Whoever paces the run — this file's loop, sim/run's RunControl for the
 * CLI and the viewer — calls it at multiples of a period that divides a day, so every pacing takes
 * the same rows at the same instants, and nothing here schedules or draws: the digest is the same.
 */
export const pilotBoundary =
  (start: PilotStart, hooks: PilotBoundaryHooks = {}) =>
  (atUs: number): void => {
    const { state, days, launchDays } = start
    if (atUs > 0 && atUs % US_PER_DAY === 0) {
      const day = atUs / US_PER_DAY
      // The business day's cut-off (payments/clearing-day.ts): clearing and settlement run here.
      state.world.payments.closeDay(day)
      sampleDay(state, day, appsBy(launchDays, day - 1))
      hooks.onDay?.(day, days, state)
    }
    hooks.onBoundary?.(atUs, state)
    if (atUs === days * US_PER_DAY) checkInvariants(state)
  }

/** The whole run at once, a day per boundary: tests, benchmarks and sweep jobs (no pacing needed). */
export const runPilot = (o: PilotRunOptions): PilotRunState => {
  const start = startPilot(o)
  o.beforeRun?.(start.state.world)
  const boundary = pilotBoundary(start, o.onDay === undefined ? {} : { onDay: o.onDay })
  const kernel = start.state.world.kernel
  try {
    boundary(0)
    for (let day = 1; day <= start.days; day++) {
      kernel.run(day * US_PER_DAY)
      boundary(day * US_PER_DAY)
    }
  } finally {
    start.state.world.issuanceJobs.close()
  }
  return start.state
}

export const sampleDay = (s: PilotRunState, day: number, apps: number): void => {
  const w = s.world
  const t = w.totals
  const tUs = day * US_PER_DAY
  s.phaseRows.push([
    tUs,
    t.cards,
    apps,
    t.transactions,
    t.valueFen / 100,
    t.cardsHeldCounted,
    w.flows.inFlight,
  ])
  const meters = partyMeters(w)
  s.utilisationRows.push([tUs, ...UTILISATION_PARTIES.map((p) => meters[p.key].takeInterval(US_PER_DAY))])
}

const check = (s: PilotRunState, name: string, ok: boolean, text: string): void => {
  const row = s.invariants[name] ?? { checks: 0, violations: 0 }
  row.checks++
  if (!ok) {
    row.violations++
    s.violations.push(`${name}: ${text}`)
  }
  s.invariants[name] = row
}

/** Recomputes what must hold from the state, never from the counters alone (TigerBeetle's auditors). */
export const checkInvariants = (s: PilotRunState): void => {
  const w = s.world
  const f = w.flows
  for (const audit of auditIssuance(f)) {
    s.invariants[audit.name] = { checks: audit.checks, violations: audit.violations }
    s.violations.push(...audit.problems.map((p) => `${audit.name}: ${p}`))
  }
  let held = 0
  let heldButNotActive = 0
  const cardState = w.run.state.cardState
  for (let u = 0; u < w.userFlags.length; u++) {
    if ((w.userFlags[u]! & 1) === 0) continue
    held++
    if (cardState[u] !== CardState.active) heldButNotActive++
  }
  check(
    s,
    "cards-held-recount",
    held === w.totals.cardsHeldCounted,
    `recount ${held} ≠ running count ${w.totals.cardsHeldCounted}`,
  )
  check(
    s,
    "cards-held-are-active",
    heldButNotActive === 0,
    `${heldButNotActive} cards held by users whose card is lost or closed`,
  )
  const tally = w.cards.tally
  // One check per real issuance and per real transaction; each failed one is a violation.
  s.invariants["byte-level-cards"] = {
    checks: tally.issued + tally.transactions + tally.rotated + tally.violations.length,
    violations: tally.violations.length,
  }
  s.violations.push(...tally.violations.map((v) => `byte-level-cards: ${v}`))
  // Every envelope of the byte-level chain was verified by its receiver and accepted.
  const chain = w.cards.chain.counts
  check(
    s,
    "byte-level-envelopes-verified",
    chain.verified === chain.signed && chain.rejected === 0,
    `${chain.signed} envelopes signed, ${chain.verified} verified, ${chain.rejected} rejected`,
  )
  check(s, "fault-targets-known", w.faultProblems.length === 0, w.faultProblems.join("; "))
  checkMoney(s)
}

/** The money auditor's rows (payments/money-audit.ts), each invariant by name. */
const checkMoney = (s: PilotRunState): void => {
  const p = s.world.payments
  const days = Math.floor(s.world.kernel.nowUs / US_PER_DAY)
  p.audit.checkEnd({ books: p.books, cyclesByDay: p.cyclesByDay, days, itemsToClear: p.itemsToClear })
  for (const [name, row] of p.audit.rows) s.invariants[name] = { ...row }
  s.violations.push(...p.audit.violations)
}
