/**
 * The "why" of a phase KPI for the viewer's KPI drill-down (issue #15 item 3): the report's own
 * attribution (app/report/held-back.ts over app/report/attribution.ts) applied to the live run's
 * outcome so far, so the viewer and report.html word a miss the same way. A target whose deadline
 * the run has not reached yet, or that passed, gets a sentence saying so instead.
 */

import type { PilotRunState } from "../../model/world/pilot/pilot-run.ts"
import { formatValue } from "../report/format.ts"
import { heldBack } from "../report/held-back.ts"
import { evaluateTargets } from "../report/targets.ts"
import { pilotOutcome } from "../run/pilot-outcome.ts"

/** One paragraph per phase target of `kpi`, in phase order; empty when the run has no such KPI. */
export const explainKpi = (state: PilotRunState, scenario: string, seed: number, kpi: string): string[] => {
  const outcome = pilotOutcome(state, { scenario, seed, scenarioHash: "", status: "running" })
  const results = evaluateTargets(outcome)
  const missed = heldBack(outcome, results)
  return results
    .filter((r) => r.kpi === kpi)
    .map((r) => {
      if (r.result === "fail") return missed.find((h) => h.phase === r.phase && h.kpi === kpi)?.text ?? ""
      const target = formatValue(r.target, r.unit)
      if (r.result === "pass")
        return `${r.phase}: ${kpi} reached ${formatValue(r.value, r.unit)} by day ${r.byDay}, target ${target}: met.`
      return `${r.phase}: not judged yet (deadline day ${r.byDay}; target ${target}); the run is at day ${Math.floor(outcome.simulatedEndUs / 86_400_000_000)}.`
    })
}
