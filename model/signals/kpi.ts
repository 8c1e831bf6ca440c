/**
 * A key performance indicator against the pilot's phase targets (DESIGN.md §1: cumulative targets at
 * 2015-07, 2016-07 and 2017-07 for cards, apps, transactions and volume). A target passes as soon
 * as the value reaches it before its deadline and fails when the deadline passes short of it, so
 * the KPI panel turns pass/fail as the run goes.
 */
import { Schema } from "effect"

/** The signal name; payloads coalesce by `key` (one KPI each). */
export const KPI_SIGNAL = "kpi"

export const TargetStatus = Schema.Literals(["pending", "pass", "fail"])
export type TargetStatus = typeof TargetStatus.Type

export const PhaseTarget = Schema.Struct({
  /** The phase's name as the pilot's plan gives it, e.g. "2015-07". */
  phase: Schema.String.check(Schema.isMaxLength(32)),
  /** Simulated instant of the deadline, µs since the run's epoch. */
  deadlineUs: Schema.Int.check(Schema.isGreaterThanOrEqualTo(0)),
  target: Schema.Finite,
  status: TargetStatus,
})
export type PhaseTarget = typeof PhaseTarget.Type

export const Kpi = Schema.Struct({
  key: Schema.String.check(Schema.isMaxLength(64)),
  label: Schema.String.check(Schema.isMaxLength(64)),
  /** The unit the value and targets are counted in (cards, apps, transactions, yuan). */
  unit: Schema.String.check(Schema.isMaxLength(16)),
  value: Schema.Finite,
  targets: Schema.Array(PhaseTarget).check(Schema.isMaxLength(8)),
})
export type Kpi = typeof Kpi.Type

/**
 * The next status of one cumulative target at `nowUs`: reaching it at or before the deadline
 * passes, a value still short at the deadline fails, and a decided target stays decided (the
 * value is cumulative, and a target met late is still a target missed).
 */
export const nextTargetStatus = (
  previous: TargetStatus,
  value: number,
  target: number,
  nowUs: number,
  deadlineUs: number,
): TargetStatus => {
  if (previous !== "pending") return previous
  if (value >= target && nowUs <= deadlineUs) return "pass"
  return nowUs >= deadlineUs ? "fail" : "pending"
}
