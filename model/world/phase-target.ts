/**
 * A phase target as a scenario states it: the optional `targets` list that issuance and money
 * scenarios carry beside their own fields (pilot scenarios derive theirs from `phases`). Here, in
 * the data plane's Schema layer, so each kind's closed Schema can name the field; the report
 * (app/report/targets.ts) judges a run against it.
 */
import { Schema } from "effect"

/** At most this many targets per scenario (a documented bound, README "Scenarios"). */
export const TARGETS_MAX = 200

export const PhaseTargetSchema = Schema.Struct({
  /** The phase's name, e.g. "phase 1 (2015-07)". */
  phase: Schema.String,
  /** The KPI it constrains (a name the run reports in summary.json `kpis`). */
  kpi: Schema.String,
  /** The KPI must reach at least this. */
  atLeast: Schema.optional(Schema.Finite),
  /** The KPI must stay at or below this. */
  atMost: Schema.optional(Schema.Finite),
  /** The day from the start by which the target must hold; absent: at the end of the run. */
  byDay: Schema.optional(Schema.Int.check(Schema.isGreaterThanOrEqualTo(0))),
}).check(
  Schema.makeFilter(
    (t) =>
      (t.atLeast === undefined) !== (t.atMost === undefined) ||
      "a target needs exactly one of atLeast and atMost",
  ),
)

/** The `targets` field of a scenario: optional, bounded. */
export const TargetsList = Schema.optional(
  Schema.Array(PhaseTargetSchema).check(Schema.isMaxLength(TARGETS_MAX)),
)
