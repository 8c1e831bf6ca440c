/**
 * The money scenario Schema (issue 6): `kind: "money"` tells `tsm-twin run` to run the money world
 * instead of the issuance world. Every field has its unit in its name; the fault plan names each
 * injected fault the way the 差错 tests do.
 */
import { Schema } from "effect"
import { TargetsList } from "../phase-target.ts"
import { NonNegativeInt, PositiveInt } from "../scenario-numbers.ts"
import { decodeStrict, type ScenarioFailure, scenarioFailure } from "../scenario-problems.ts"
import type { MoneyFaults } from "./money-world.ts"

const Window = Schema.Struct({ startMinute: NonNegativeInt, durationMinutes: PositiveInt })

/** Flow indices and corrupt files per fault list at most (a documented bound, README "Scenarios"). */
export const MONEY_FAULT_LIST_MAX = 10_000
const IndexList = Schema.optional(
  Schema.Array(NonNegativeInt).check(Schema.isMaxLength(MONEY_FAULT_LIST_MAX)),
)

export const MoneyScenario = Schema.Struct({
  /** The JSON Schema an editor completes this file against (`tsm-twin schema`); ignored by runs. */
  $schema: Schema.optional(Schema.String),
  kind: Schema.Literal("money"),
  name: Schema.String,
  seed: NonNegativeInt,
  /** Flows to run, of every kind, in CALIBRATION.md §3.1's mix (money-run.ts). */
  transactions: PositiveInt,
  /** Real NFC-SIM cards personalized per bank (five banks). */
  cardsPerBank: PositiveInt,
  /** Days of traffic, one clearing cycle each. */
  days: PositiveInt,
  faults: Schema.optional(
    Schema.Struct({
      hostTimeout: Schema.optional(Schema.Struct({ bank: Schema.String, window: Window })),
      hostDown: Schema.optional(Schema.Struct({ bank: Schema.String, window: Window })),
      unionpayOutage: Schema.optional(Window),
      duplicationPermille: Schema.optional(NonNegativeInt),
      corruptFile: Schema.optional(
        Schema.Array(Schema.Struct({ cycle: PositiveInt, bank: Schema.String })).check(
          Schema.isMaxLength(MONEY_FAULT_LIST_MAX),
        ),
      ),
      badTcs: IndexList,
      amountMismatches: IndexList,
      duplicatePresentments: IndexList,
      disputes: IndexList,
      cloneCard: Schema.optional(Schema.Boolean),
    }),
  ),
  /** Phase targets the run report judges (app/report/targets.ts); omitted = none. */
  targets: TargetsList,
})

export type MoneyScenario = typeof MoneyScenario.Type

export const isMoneyScenario = (json: unknown): boolean =>
  typeof json === "object" && json !== null && (json as { kind?: unknown }).kind === "money"

export type MoneyDecode = { readonly ok: true; readonly value: MoneyScenario } | ScenarioFailure

/** Decodes untrusted JSON: closed objects, every error with its JSON path. */
export const decodeMoneyScenario = (input: unknown): MoneyDecode => {
  const decoded = decodeStrict(MoneyScenario, input)
  return decoded.ok ? decoded : scenarioFailure(decoded.problems)
}

const US_PER_MINUTE = 60_000_000
const windowUs = (w: { startMinute: number; durationMinutes: number }) => ({
  startUs: w.startMinute * US_PER_MINUTE,
  endUs: (w.startMinute + w.durationMinutes) * US_PER_MINUTE,
})

/** The scenario's fault plan in the world's terms (µs windows, ratios). */
export const moneyFaultsOf = (s: MoneyScenario): MoneyFaults => {
  const f = s.faults ?? {}
  return {
    ...(f.hostTimeout === undefined
      ? {}
      : { hostTimeout: { bank: f.hostTimeout.bank, ...windowUs(f.hostTimeout.window) } }),
    ...(f.hostDown === undefined
      ? {}
      : { hostDown: { bank: f.hostDown.bank, ...windowUs(f.hostDown.window) } }),
    ...(f.unionpayOutage === undefined ? {} : { unionpayOutage: windowUs(f.unionpayOutage) }),
    ...(f.duplicationPermille === undefined
      ? {}
      : { duplication: { numerator: f.duplicationPermille, denominator: 1000 } }),
    ...(f.corruptFile === undefined ? {} : { corruptFile: f.corruptFile }),
    ...(f.badTcs === undefined ? {} : { badTcs: f.badTcs }),
    ...(f.amountMismatches === undefined ? {} : { amountMismatches: f.amountMismatches }),
    ...(f.duplicatePresentments === undefined ? {} : { duplicatePresentments: f.duplicatePresentments }),
    ...(f.disputes === undefined ? {} : { disputes: f.disputes }),
    ...(f.cloneCard === undefined ? {} : { cloneCard: f.cloneCard }),
  }
}
