/**
 * What a phase target's cell says (issue 11 §5): a target still "pending" while the run goes on
 * may yet pass or fail, but once the run has ended short of the target's deadline it was never
 * judged — "not reached", neither pass nor fail, as in the run's table, summary.json and
 * report.html. A target whose deadline the run reached is pass or fail already (model/signals/kpi.ts).
 */
import type { TargetStatus } from "../../model/signals/kpi.ts"

export type ShownStatus = TargetStatus | "not reached"

export const shownStatus = (status: TargetStatus, runEnded: boolean): ShownStatus =>
  status === "pending" && runEnded ? "not reached" : status
