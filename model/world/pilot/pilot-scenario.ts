/**
 * The `pilot` scenario kind (issue 7): the whole pilot from the population's time zero to a chosen
 * date, at a scale, with a share of users byte-level, against the three phase targets, with the
 * parties' capacities (units last in every name) and a fault plan. One Schema is the decoder, the
 * editor's JSON Schema (`tsm-twin schema`) and the documentation of every field (STYLE.md rule 9).
 */
import { Schema } from "effect"
import { faultsOn } from "../../../sim/faults/fault-plan.ts"
import { daysFromIso, isoFromDays } from "../../calendar/civil-calendar.ts"
import { CALIBRATIONS } from "../../population/pilot-calibrations.ts"
import {
  consistencyProblem,
  IsoDate,
  type PopulationParams,
  PopulationParams as PopulationParamsSchema,
  RecurringPermille,
} from "../../population/population-params.ts"
import { PilotFaultTarget } from "../network.ts"
import { NonNegativeInt, Permille, PositiveInt } from "../scenario-numbers.ts"
import {
  decodeFieldwise,
  decodeStrict,
  pathText,
  type ScenarioFailure,
  type ScenarioProblem,
  scenarioFailure,
} from "../scenario-problems.ts"

const Positive = Schema.Finite.check(Schema.isGreaterThan(0))

/**
 * The documented bounds of a pilot scenario's lists and scale (README "Scenarios"): a file beyond
 * them is an error, not a run that exhausts memory.
 */
export const PILOT_LIMITS = {
  /** `scaleFactor` and `--scale` at most: 100 × Guiyang's market (14-province-scale uses 10). */
  scaleFactorMax: 100,
  phasesMax: 20,
  appsMax: 500,
  campaignIssuancesMax: 200,
  outagesMax: 1000,
  faultsMax: 1000,
  keyRotationsMax: 100,
} as const

/** A list of at most `max` items. */
const ListOf = <S extends Schema.Top>(item: S, max: number) =>
  Schema.Array(item).check(Schema.isMaxLength(max))

/** A fault of the plan whose target must be one of the pilot network's parties. */
const PilotFault = faultsOn(PilotFaultTarget).Fault

/** One phase of the pilot with its four cumulative targets (DESIGN.md §1). */
export const PhaseSpec = Schema.Struct({
  /** The phase's name in tables and reports, e.g. "phase 1 (2015-07)". */
  phase: Schema.String,
  /** The deadline: the targets must hold at the end of this day. */
  endDate: IsoDate,
  /** Cards issued into SEs (first issuances), cumulative. */
  cards: NonNegativeInt,
  /** Applications in service on the platform. */
  apps: NonNegativeInt,
  /** Completed transactions, cumulative. */
  transactions: NonNegativeInt,
  /** Value of completed transactions in yuan, cumulative. */
  valueYuan: Schema.Finite.check(Schema.isGreaterThanOrEqualTo(0)),
})

/** An application launched on the platform (utilities, finance, e-commerce, bank cards). */
export const AppLaunch = Schema.Struct({
  /** The application's name. */
  name: Schema.String,
  /** The day it went into service. */
  launchDate: IsoDate,
  /**
   * The day its service provider's contract with the 贵州通 TSM starts; the TSM publishes the app
   * only from then (model/parties/tsm/app-catalogue.ts). Absent: contracted by the launch date.
   */
  spContractDate: Schema.optional(IsoDate),
})

export const TsmCapacity = Schema.Struct({
  /** HSMs in the 贵州通 TSM's pool; every local-bank issuance holds one for its HSM commands. */
  hsmCount: PositiveInt,
  /** Time one HSM takes for an SM2 signature (CALIBRATION.md §2.2: 0.3-3 ms per command incl. network). */
  hsmSm2SignUs: PositiveInt,
  /** Time one HSM takes for an SM2 verification. */
  hsmSm2VerifyUs: PositiveInt,
  /** Time one HSM takes for a symmetric command (key derivation, key wrapping, MAC). */
  hsmSymmetricUs: PositiveInt,
  /** Order-processing servers of the TSM (CALIBRATION.md §5.3: 10-100 lifecycle operations/s). */
  orderServers: PositiveInt,
  /** Processing time of one order step on an order server. */
  orderServiceUs: PositiveInt,
  /** Concurrent OTA sessions the TSM can hold open (CALIBRATION.md §5.3: 50-200). */
  otaSessionsMax: PositiveInt,
})

export const ServerPoolCapacity = Schema.Struct({
  /** Identical servers working in parallel. */
  servers: PositiveInt,
  /** Service time of one request on one server. */
  serviceUs: PositiveInt,
})

export const OtaBearer = Schema.Struct({
  /** Shortest APDU round trip over the bearer (CALIBRATION.md §2.4: 150-800 ms over BIP/HTTP). */
  apduRoundTripUsMin: PositiveInt,
  /** Longest APDU round trip over the bearer. */
  apduRoundTripUsMax: PositiveInt,
  /**
   * Round trips one background OTA issuance is charged (SSD creation, install, personalization:
   * ~15-60); 19 matches the byte-level issuance's OTA time over the adopters' bearer mix
   * (byte-level/card-time.ts `BACKGROUND_APDUS_PER_ISSUANCE`).
   */
  apdusPerIssuance: PositiveInt,
  /** Share of OTA attempts that fail (phone off, coverage, handset), permille (§2.4: 2-10 %). */
  failurePermille: Permille,
  /** Delay before a failed OTA attempt is retried. */
  retryAfterUs: PositiveInt,
  /** Attempts before the issuance is abandoned. */
  attemptsMax: PositiveInt,
})

export const Capacity = Schema.Struct({
  /** The 贵州通 TSM (local banks issue through it). */
  tsm: TsmCapacity,
  /** The PBOC's MTPS hub: every issuance's routing and registry update passes through it. */
  mtps: ServerPoolCapacity,
  /** The telco SE issuers' OTA bearer. */
  telcoOta: OtaBearer,
  /** The banks' hosts: identity checks for issuances, authorisations for online transactions. */
  bankHost: ServerPoolCapacity,
  /** The UnionPay switch: interbank online transactions. */
  unionpaySwitch: ServerPoolCapacity,
  /** An online transaction waiting longer than this for a server times out (§2.1: ≈30 s). */
  transactionTimeoutUs: PositiveInt,
})

/** A batch issuance: a bank issues onto its existing customers' SEs at a steady rate. */
export const CampaignIssuance = Schema.Struct({
  /** Label in reports. */
  name: Schema.String,
  /** First day of the campaign (it starts at 00:00). */
  startDate: IsoDate,
  /** Cards to issue (before scaling). */
  cards: PositiveInt,
  /** Orders started per hour (before scaling). */
  ordersPerHour: PositiveInt,
})

/** A scheduled outage on the calendar (converted to the fault plan's µs form). */
export const OutageWindow = Schema.Struct({
  /** The party that goes down (model/world/network.ts). */
  target: PilotFaultTarget,
  /** The day it starts. */
  startDate: IsoDate,
  /** The local hour it starts (0-23). */
  startHour: Schema.optional(
    Schema.Int.check(Schema.isGreaterThanOrEqualTo(0), Schema.isLessThanOrEqualTo(23)),
  ),
  /** How long it lasts, in hours. */
  durationHours: Positive,
})

/** An issuer's key rotation (scenario 13): every byte-level card held then gets new SSD keys and IMKs. */
export const KeyRotation = Schema.Struct({
  /** Label in reports. */
  name: Schema.String,
  /** The day it runs (at 00:00 plus `hour`). */
  date: IsoDate,
  /** The hour it starts (0-23); 0 when absent. */
  hour: Schema.optional(Schema.Int.check(Schema.isGreaterThanOrEqualTo(0), Schema.isLessThanOrEqualTo(23))),
})

/** A share in [0, 1]. */
const Fraction = Schema.Finite.check(Schema.isGreaterThanOrEqualTo(0), Schema.isLessThanOrEqualTo(1))

export const Fidelity = Schema.Struct({
  /**
   * Share of users simulated byte-level (real cards, APDUs, SM2 envelopes, ARQCs), 0…1, picked by
   * a hash of (seed, user index); `--byte-level` overrides it (and drops the cap below).
   */
  byteLevelFraction: Fraction,
  /** At most this many byte-level users (a bound for memory and wall time); omitted = no cap. */
  byteLevelUsersMax: Schema.optional(NonNegativeInt),
  /**
   * A planted defect, for showing that issuers verify: this share of byte-level cards is
   * personalized with issuer keys of no bank, so their hosts decline them. Omitted = 0.
   */
  wrongIssuerKeyFraction: Schema.optional(Fraction),
})

/** Where the run's key material comes from (issue 12 item 4). */
export const CryptoSettings = Schema.Struct({
  /**
   * Every key of the run derives from this string: the MTPS CA and the institutions' SM2 keys,
   * the banks' issuer master keys, the cards' GP keys. Omitted = derived from the run's seed.
   */
  keySeed: Schema.String.check(Schema.isMinLength(1), Schema.isMaxLength(128)),
})

/** Small changes to a named calibration, so a scenario need not restate all of it. */
export const PopulationOverrides = Schema.Struct({
  /** Users in the addressable market (before scaling). */
  marketUsers: Schema.optional(PositiveInt),
  /** Users adopted at time zero (before scaling). */
  initialAdopters: Schema.optional(NonNegativeInt),
  /** Loss reports (挂失) per active card per year, permille. */
  lossPermillePerYear: Schema.optional(Permille),
  /** Share of 挂失 followed by 补卡 onto a new SE, permille; the rest close (销户). */
  reissuePermille: Schema.optional(Permille),
  /** Waiting period between 挂失 and 补卡 (or closure), in days. */
  reissueWaitDays: Schema.optional(NonNegativeInt),
  /** Voluntary closures (销户) per active card per year, permille. */
  closePermillePerYear: Schema.optional(Permille),
  /** SIM swaps per active card on an NFC-SIM per year, permille; each re-issues the card OTA. */
  simSwapPermillePerYear: Schema.optional(RecurringPermille),
})

export const PilotScenario = Schema.Struct({
  /** The JSON Schema an editor completes this file against (`tsm-twin schema`); ignored by runs. */
  $schema: Schema.optional(Schema.String),
  /** Always "pilot": the run command dispatches on it. */
  kind: Schema.Literal("pilot"),
  /** The scenario's name (the numbered file's stem). */
  name: Schema.String,
  /** One line on what the scenario shows. */
  title: Schema.String,
  /** The run's seed; `--seed` overrides it. */
  seed: NonNegativeInt,
  /** A calibration name (pilot-plan, pilot-realistic, baseline-2014) or inline population parameters. */
  population: Schema.Union([Schema.String, PopulationParamsSchema]),
  /** Changes to the named calibration; omitted = none. */
  populationOverrides: Schema.optional(PopulationOverrides),
  /** Users (and targets, campaigns) are multiplied by this; 0.1 = a tenth of Guiyang. `--scale` overrides it. */
  scaleFactor: Positive.check(Schema.isLessThanOrEqualTo(PILOT_LIMITS.scaleFactorMax)),
  /** The run stops at the end of this day; `--until` overrides it. */
  untilDate: IsoDate,
  fidelity: Fidelity,
  /** Key material (omitted = keys derived from the seed). */
  crypto: Schema.optional(CryptoSettings),
  /** The phase targets (at full scale; they are scaled with the users). */
  phases: ListOf(PhaseSpec, PILOT_LIMITS.phasesMax),
  /** The application catalogue and its launch dates. */
  apps: ListOf(AppLaunch, PILOT_LIMITS.appsMax),
  capacity: Capacity,
  /** Batch issuances on top of the population's own adoptions. */
  campaignIssuances: ListOf(CampaignIssuance, PILOT_LIMITS.campaignIssuancesMax),
  /** Scheduled outages by calendar date. */
  outages: ListOf(OutageWindow, PILOT_LIMITS.outagesMax),
  /** Further faults in the fault plan's own form (sim/faults/fault-plan.ts; times in µs from the start), on the network's parties. */
  faults: ListOf(PilotFault, PILOT_LIMITS.faultsMax),
  /** Key rotations of the byte-level cards (PUT KEY + the application under a new DKI); omitted = none. */
  keyRotations: Schema.optional(ListOf(KeyRotation, PILOT_LIMITS.keyRotationsMax)),
})

export type PilotScenario = typeof PilotScenario.Type
export type Capacity = typeof Capacity.Type
export type PhaseSpec = typeof PhaseSpec.Type

export type PilotDecode =
  | { readonly ok: true; readonly value: PilotScenario; readonly population: PopulationParams }
  | ScenarioFailure

export const isPilotScenario = (json: unknown): boolean =>
  typeof json === "object" && json !== null && (json as { kind?: unknown }).kind === "pilot"

/** The population a scenario names or states inline; a string when the name is unknown. */
const populationOf = (s: Partial<PilotScenario>): PopulationParams | string | null => {
  const p = s.population
  if (p === undefined) return null
  const base =
    typeof p === "string"
      ? (CALIBRATIONS.get(p) ?? `no calibration named "${p}" (known: ${[...CALIBRATIONS.keys()].join(", ")})`)
      : p
  const o = s.populationOverrides
  if (typeof base === "string" || o === undefined) return base
  return {
    ...base,
    market: { ...base.market, marketUsers: o.marketUsers ?? base.market.marketUsers },
    adoption: { ...base.adoption, initialAdopters: o.initialAdopters ?? base.adoption.initialAdopters },
    lifecycle: {
      lossPermillePerYear: o.lossPermillePerYear ?? base.lifecycle.lossPermillePerYear,
      reissuePermille: o.reissuePermille ?? base.lifecycle.reissuePermille,
      reissueWaitDays: o.reissueWaitDays ?? base.lifecycle.reissueWaitDays,
      closePermillePerYear: o.closePermillePerYear ?? base.lifecycle.closePermillePerYear,
      simSwapPermillePerYear: o.simSwapPermillePerYear ?? base.lifecycle.simSwapPermillePerYear,
    },
  }
}

/** The dates that must lie in the population's horizon, with their paths. */
const datesInHorizon = (s: Partial<PilotScenario>): Array<[string, string]> => [
  ...(s.untilDate === undefined ? [] : [[s.untilDate, pathText(["untilDate"])] as [string, string]]),
  ...(s.phases ?? []).map((p, i): [string, string] => [p.endDate, pathText(["phases", i, "endDate"])]),
  ...(s.campaignIssuances ?? []).map((c, i): [string, string] => [
    c.startDate,
    pathText(["campaignIssuances", i, "startDate"]),
  ]),
  ...(s.keyRotations ?? []).map((r, i): [string, string] => [r.date, pathText(["keyRotations", i, "date"])]),
]

/** Horizon rules: every dated event inside the population's days, outages not before time zero. */
const horizonProblems = (s: Partial<PilotScenario>, population: PopulationParams): ScenarioProblem[] => {
  const zero = daysFromIso(population.timeZeroDate)
  const end = zero + population.horizonDays
  const horizon = `${population.timeZeroDate} … ${isoFromDays(end - 1)}`
  const problems = datesInHorizon(s)
    .filter(([iso]) => daysFromIso(iso) < zero || daysFromIso(iso) >= end)
    .map(([iso, at]) => ({ at, text: `${iso} lies outside the population's horizon ${horizon}` }))
  ;(s.outages ?? []).forEach((o, i) => {
    if (daysFromIso(o.startDate) < zero)
      problems.push({
        at: pathText(["outages", i, "startDate"]),
        text: `lies before time zero ${population.timeZeroDate}`,
      })
  })
  return problems
}

/** Phase rules: deadlines strictly in order, names unique, cumulative targets never falling. */
const phaseProblems = (phases: ReadonlyArray<PhaseSpec>): ScenarioProblem[] => {
  const problems: ScenarioProblem[] = []
  phases.forEach((ph, i) => {
    const before = phases[i - 1]
    if (phases.findIndex((other) => other.phase === ph.phase) < i)
      problems.push({ at: pathText(["phases", i, "phase"]), text: `phase "${ph.phase}" is named twice` })
    if (before === undefined) return
    if (ph.endDate <= before.endDate)
      problems.push({
        at: pathText(["phases", i, "endDate"]),
        text: `${ph.endDate} must come after the previous phase's deadline ${before.endDate} (phases in order)`,
      })
    for (const kpi of ["cards", "transactions", "valueYuan"] as const)
      if (ph[kpi] < before[kpi])
        problems.push({
          at: pathText(["phases", i, kpi]),
          text: `${ph[kpi]} is below the previous phase's ${before[kpi]} (targets are cumulative)`,
        })
  })
  return problems
}

/** Cross-field rules on whatever fields decoded; every problem names its path. */
const problemsOf = (
  s: Partial<PilotScenario>,
  population: PopulationParams | string | null,
): ScenarioProblem[] => {
  const problems: ScenarioProblem[] = []
  if (typeof population === "string") problems.push({ at: pathText(["population"]), text: population })
  if (population !== null && typeof population !== "string") {
    const inline = consistencyProblem(population)
    if (inline !== null && typeof s.population !== "string")
      problems.push({
        at: `${pathText(["population"])}${inline.split("  at ")[1] ?? ""}`,
        text: inline.split("\n")[0]!,
      })
    problems.push(...horizonProblems(s, population))
  }
  problems.push(...phaseProblems(s.phases ?? []))
  // Partial at every depth when the file has errors (decodeFieldwise), hence the optional reads.
  const ota = (s.capacity as Partial<Capacity> | undefined)?.telcoOta as
    | Partial<Capacity["telcoOta"]>
    | undefined
  if (
    ota?.apduRoundTripUsMax !== undefined &&
    ota.apduRoundTripUsMin !== undefined &&
    ota.apduRoundTripUsMax < ota.apduRoundTripUsMin
  )
    problems.push({
      at: pathText(["capacity", "telcoOta", "apduRoundTripUsMax"]),
      text: `${ota.apduRoundTripUsMax} must be ≥ apduRoundTripUsMin ${ota.apduRoundTripUsMin}`,
    })
  return problems
}

/**
 * Decodes untrusted JSON: closed objects, every structural error with its JSON path, and in the
 * same pass the cross-field rules on the fields that did decode.
 */
export const decodePilotScenario = (input: unknown): PilotDecode => {
  const decoded = decodeStrict(PilotScenario, input)
  const partial = decoded.ok ? decoded.value : decodeFieldwise(PilotScenario, input)
  const population = populationOf(partial)
  const problems = [...(decoded.ok ? [] : decoded.problems), ...problemsOf(partial, population)]
  if (!decoded.ok || problems.length > 0 || population === null || typeof population === "string")
    return scenarioFailure(problems)
  return { ok: true, value: decoded.value, population }
}
