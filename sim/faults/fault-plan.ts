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

/**
 * The three fault kinds with a given target Schema: sim/ knows no party names, so the generic plan
 * takes any string, and a world that declares its parties (model/world/network.ts) narrows the
 * target to their literal union, so a misspelt target fails validation at its JSON path.
 */
export const faultsOn = <T extends Schema.Top>(target: T) => {
  /** At every `checkEveryUs`, a healthy target goes out with `probability` for a drawn duration. */
  const RandomOutage = Schema.Struct({
    kind: Schema.Literal("random-outage"),
    target,
    probability: Ratio,
    checkEveryUs: PositiveInt,
    durationUsMin: PositiveInt,
    durationUsMax: PositiveInt,
  })
  /** The target is out during [startUs, startUs + durationUs). */
  const ScheduledOutage = Schema.Struct({
    kind: Schema.Literal("outage"),
    target,
    startUs: NonNegativeInt,
    durationUs: PositiveInt,
  })
  /** The target works worse during the window: slower links, extra loss, fewer servers. */
  const Degradation = Schema.Struct({
    kind: Schema.Literal("degradation"),
    target,
    startUs: NonNegativeInt,
    durationUs: PositiveInt,
    latencyPermille: Schema.optional(PositiveInt),
    extraLoss: Schema.optional(Ratio),
    capacity: Schema.optional(NonNegativeInt),
  })
  return {
    RandomOutage,
    ScheduledOutage,
    Degradation,
    Fault: Schema.Union([RandomOutage, ScheduledOutage, Degradation]),
  }
}

const generic = faultsOn(Schema.String)
export const RandomOutage = generic.RandomOutage
export const ScheduledOutage = generic.ScheduledOutage
export const Degradation = generic.Degradation
export const Fault = generic.Fault

export const FaultPlan = Schema.Struct({
  faults: Schema.Array(Fault),
})

export type FaultPlan = typeof FaultPlan.Type
export type Fault = typeof Fault.Type
export type DegradationSpec = typeof Degradation.Type

/** Decodes untrusted JSON; the error's message names each bad path and what was expected. */
export const decodeFaultPlan = (input: unknown): FaultPlan =>
  Schema.decodeUnknownSync(FaultPlan)(input, { errors: "all" })
