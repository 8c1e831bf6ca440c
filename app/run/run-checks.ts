/**
 * What makes a finished run a failed check (exit 1, README "Exit codes"): an invariant violated,
 * or a phase target the run reached and missed. A target whose deadline lies after the run's end
 * is "not reached" and fails nothing (app/report/targets.ts).
 */
import { Effect } from "effect"
import { CheckFailed } from "./errors.ts"

export interface RunFindings {
  readonly scenario: string
  /** Where the details are: summary.json or the run folder. */
  readonly where: string
  readonly violations: number
  readonly targetsMissed: number
}

export const runChecks = (f: RunFindings): Effect.Effect<void, CheckFailed> => {
  if (f.violations > 0)
    return Effect.fail(
      new CheckFailed({
        reason: "invariant-violated",
        summary: `tsm-twin run ${f.scenario}: ${f.violations} invariant violations (details in ${f.where})`,
      }),
    )
  if (f.targetsMissed > 0)
    return Effect.fail(
      new CheckFailed({
        reason: "target-missed",
        summary: `tsm-twin run ${f.scenario}: ${f.targetsMissed} phase targets reached and missed (table above; details in ${f.where})`,
      }),
    )
  return Effect.void
}
