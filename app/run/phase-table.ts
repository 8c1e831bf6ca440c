/**
 * The phase-target table for the terminal (`npm start`, `tsm-twin run`): per phase and KPI the
 * target at the run's scale, the value reached by the phase's deadline, pass or fail, and the
 * margin (negative = short by that much), "not reached" for a deadline after the run's end, then
 * one "held back by" line per miss from the report's diagnostics — the same evaluation
 * summary.json carries.
 */
import { heldBack } from "../report/held-back.ts"
import type { RunOutcome } from "../report/run-outcome.ts"
import { evaluateTargets, type TargetVerdict } from "../report/targets.ts"

const compact = (v: number, unit: string): string => {
  if (Number.isNaN(v)) return "—"
  const abs = Math.abs(v)
  const s =
    abs >= 1e9
      ? `${(v / 1e9).toFixed(2)} bn`
      : abs >= 1e6
        ? `${(v / 1e6).toFixed(2)} M`
        : abs >= 1e4
          ? `${(v / 1e3).toFixed(1)} k`
          : `${Math.round(v)}`
  return unit === "yuan" ? `${s} yuan` : s
}

/** A miss shouts; a deadline past the run's end is neither pass nor FAIL. */
const VERDICT_TEXT: Readonly<Record<TargetVerdict, string>> = {
  pass: "pass",
  fail: "FAIL",
  "not reached": "not reached",
}

const pad = (s: string, n: number): string => (s.length >= n ? s : s + " ".repeat(n - s.length))
const padLeft = (s: string, n: number): string => (s.length >= n ? s : " ".repeat(n - s.length) + s)

export const phaseTable = (outcome: RunOutcome, scale: number): string => {
  const results = evaluateTargets(outcome)
  const lines = [
    `${pad("phase", 20)} ${pad("KPI", 13)} ${padLeft(`target${scale === 1 ? "" : ` (×${scale})`}`, 18)} ${padLeft("value", 16)}  ${pad("result", 11)} ${padLeft("margin", 16)}`,
  ]
  for (const r of results)
    lines.push(
      `${pad(r.phase, 20)} ${pad(r.kpi, 13)} ${padLeft(compact(r.target, r.unit), 18)} ${padLeft(compact(r.value, r.unit), 16)}  ${pad(VERDICT_TEXT[r.result], 11)} ${padLeft(r.result === "not reached" ? "—" : (r.margin >= 0 ? "+" : "") + compact(r.margin, r.unit), 16)}`,
    )
  const held = heldBack(outcome, results)
  if (held.length > 0) lines.push("", "What held it back:")
  for (const h of held) lines.push(`- ${h.text}`)
  return lines.join("\n")
}
