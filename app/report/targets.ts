/**
 * Phase targets: how a scenario states them (an optional `targets` array beside any kind's own
 * fields, so every kind gets them without a change to its Schema) and how a run is judged against
 * them: value, pass or fail, and the margin (value − bound for `atLeast`, bound − value for
 * `atMost`, so a negative margin always means a miss and its size says by how much).
 */
import { Schema } from "effect"
import { TargetsList } from "../../model/world/phase-target.ts"
import type { PhaseTarget, RunOutcome } from "./run-outcome.ts"

const US_PER_DAY = 86_400_000_000

const TargetsField = Schema.Struct({ targets: TargetsList })

export type TargetsDecode =
  | { readonly ok: true; readonly targets: ReadonlyArray<PhaseTarget> }
  | { readonly ok: false; readonly message: string }

/** Reads the optional `targets` of any scenario JSON; the message names the bad path. */
export const decodeTargets = (json: unknown): TargetsDecode => {
  try {
    const decoded = Schema.decodeUnknownSync(TargetsField)(json, { errors: "all" })
    return { ok: true, targets: decoded.targets ?? [] }
  } catch (error) {
    return { ok: false, message: error instanceof Error ? error.message : String(error) }
  }
}

export type TargetVerdict = "pass" | "fail" | "not reached"

export interface TargetResult {
  readonly phase: string
  readonly kpi: string
  readonly bound: "atLeast" | "atMost"
  readonly target: number
  /** NaN when the run never measured the KPI (that is a fail, never a pass). */
  readonly value: number
  readonly unit: string
  /**
   * "not reached" when the run ended before the target's day: neither a pass nor a miss, since
   * the run never saw the deadline (a `--until` before it, or a scenario that stops earlier).
   */
  readonly result: TargetVerdict
  /** result === "pass" (kept for readers of summary.json from before "not reached"). */
  readonly pass: boolean
  readonly margin: number
  readonly byDay: number | null
}

/**
 * The KPI's value by `byDay`: the last row of a series column named like the KPI at or before
 * that day, or the final KPI when no such column exists or no day is given.
 */
export const valueBy = (outcome: RunOutcome, kpi: string, byDay: number | null): number => {
  const final = outcome.kpis[kpi]?.value ?? Number.NaN
  if (byDay === null) return final
  for (const table of outcome.series) {
    const column = table.columns.findIndex((c) => c.name === kpi)
    if (column < 0) continue
    let value = Number.NaN
    for (const row of table.rows) if (row[0]! <= byDay * US_PER_DAY) value = row[column + 1]!
    return value
  }
  return final
}

/** Whether the run's simulated time reached the end of `byDay` (a target without a day is due at the end). */
const reached = (outcome: RunOutcome, byDay: number | null): boolean =>
  byDay === null || byDay * US_PER_DAY <= outcome.simulatedEndUs

export const evaluateTargets = (outcome: RunOutcome): ReadonlyArray<TargetResult> =>
  outcome.targets.map((t) => {
    const byDay = t.byDay ?? null
    const value = valueBy(outcome, t.kpi, byDay)
    const bound = t.atLeast === undefined ? "atMost" : "atLeast"
    const target = (t.atLeast ?? t.atMost)!
    const margin = bound === "atLeast" ? value - target : target - value
    const result: TargetVerdict = !reached(outcome, byDay) ? "not reached" : margin >= 0 ? "pass" : "fail"
    return {
      phase: t.phase,
      kpi: t.kpi,
      bound,
      target,
      value,
      unit: outcome.kpis[t.kpi]?.unit ?? "",
      result,
      pass: result === "pass",
      margin,
      byDay,
    }
  })

/** The targets the run reached and missed: what makes `tsm-twin run` exit 1. */
export const missedTargets = (results: ReadonlyArray<TargetResult>): ReadonlyArray<TargetResult> =>
  results.filter((r) => r.result === "fail")
