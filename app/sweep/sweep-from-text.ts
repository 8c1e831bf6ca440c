/**
 * From a scenario's text and the sweep's arguments to a checked plan — shared by a local sweep, a
 * cluster submission and `--resume` (which re-plans from the text stored in the cluster's ledger
 * and so gets the identical grid, jobs and seeds). Every failure is a message for exit code 2.
 */
import { createHash } from "node:crypto"
import { validateScenario } from "../run/scenario-outcome.ts"
import { planSweep, type SweepPlan } from "./sweep-grid.ts"
import { parseVary, type VarySpec } from "./vary-spec.ts"

export interface PlannedSweep {
  readonly plan: SweepPlan
  readonly name: string
  /** SHA-256 of the scenario file's text (the run reports carry it). */
  readonly scenarioHash: string
  /** The scenario's own seed: replication r runs baseSeed + r. */
  readonly baseSeed: number
}

export type PlanFromText =
  | { readonly ok: true; readonly value: PlannedSweep }
  | { readonly ok: false; readonly message: string }

export const planFromText = (
  text: string,
  label: string,
  vary: ReadonlyArray<string>,
  replications: number,
): PlanFromText => {
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (error) {
    return { ok: false, message: `cannot read ${label} as JSON: ${String(error)}` }
  }
  const valid = validateScenario(json)
  if (!valid.ok) return { ok: false, message: `${label} is not a valid scenario:\n${valid.message}` }
  if (vary.length === 0)
    return { ok: false, message: "--vary is required (at least one <json.path>=<v1,v2,...>)" }
  const varies: VarySpec[] = []
  for (const v of vary) {
    const parsed = parseVary(v, json)
    if (!parsed.ok) return parsed
    varies.push(parsed.spec)
  }
  if (new Set(varies.map((v) => v.path)).size !== varies.length)
    return { ok: false, message: "--vary names the same path twice" }
  const planned = planSweep(json, varies, replications, valid.seed)
  if (!planned.ok) return planned
  return {
    ok: true,
    value: {
      plan: planned.plan,
      name: String((json as { name?: unknown }).name),
      scenarioHash: createHash("sha256").update(text).digest("hex"),
      baseSeed: valid.seed,
    },
  }
}
