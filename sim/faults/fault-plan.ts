/**
 * The fault-plan Schema (DESIGN.md §4, TigerBeetle's VOPR): each random fault is a probability per
 * check interval plus a minimum duration, so a fault, once on, stays long enough to matter; plus
 * outages and degradation windows at fixed times. Probabilities are integer ratios; times are µs.
 */
import { Schema } from "effect"

const NonNegativeInt = Schema.Int.check(Schema.isGreaterThanOrEqualTo(0))
const PositiveInt = Schema.Int.check(Schema.isGreaterThanOrEqualTo(1))

export const Ratio = Schema.Struct({
  numerator: NonNegativeInt,
  denominator: PositiveInt,
})

/** At every `checkEveryUs`, a healthy target goes out with `probability` for a drawn duration. */
export const RandomOutage = Schema.Struct({
  kind: Schema.Literal("random-outage"),
  target: Schema.String,
  probability: Ratio,
  checkEveryUs: PositiveInt,
  durationUsMin: PositiveInt,
  durationUsMax: PositiveInt,
})

/** The target is out during [startUs, startUs + durationUs). */
export const ScheduledOutage = Schema.Struct({
  kind: Schema.Literal("outage"),
  target: Schema.String,
  startUs: NonNegativeInt,
  durationUs: PositiveInt,
})

/** The target works worse during the window: slower links, extra loss, fewer servers. */
export const Degradation = Schema.Struct({
  kind: Schema.Literal("degradation"),
  target: Schema.String,
  startUs: NonNegativeInt,
  durationUs: PositiveInt,
  latencyPermille: Schema.optional(PositiveInt),
  extraLoss: Schema.optional(Ratio),
  capacity: Schema.optional(NonNegativeInt),
})

export const Fault = Schema.Union([RandomOutage, ScheduledOutage, Degradation])

export const FaultPlan = Schema.Struct({
  faults: Schema.Array(Fault),
})

export type FaultPlan = typeof FaultPlan.Type
export type Fault = typeof Fault.Type
export type DegradationSpec = typeof Degradation.Type

/** Decodes untrusted JSON; the error's message names each bad path and what was expected. */
export const decodeFaultPlan = (input: unknown): FaultPlan =>
  Schema.decodeUnknownSync(FaultPlan)(input, { errors: "all" })
