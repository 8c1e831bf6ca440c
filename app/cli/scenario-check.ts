/**
 * Reads and checks one scenario file of any kind (pilot, money, issuance) without running it:
 * the shared core of `tsm-twin validate` and `tsm-twin list`. Every error names its JSON path.
 */
import { readFileSync } from "node:fs"
import { decodeIssuanceScenario } from "../../model/world/issuance/issuance-scenario.ts"
import { decodeMoneyScenario, isMoneyScenario } from "../../model/world/money/money-scenario.ts"
import { decodePilotScenario, isPilotScenario } from "../../model/world/pilot/pilot-scenario.ts"

export type ScenarioCheck =
  | { readonly ok: true; readonly kind: string; readonly name: string; readonly title: string }
  | { readonly ok: false; readonly message: string }

export const checkScenarioFile = (path: string): ScenarioCheck => {
  let json: unknown
  try {
    json = JSON.parse(readFileSync(path, "utf8"))
  } catch (error) {
    return { ok: false, message: `cannot read ${path} as JSON: ${String(error)}` }
  }
  const title = (json as { title?: unknown }).title
  if (isPilotScenario(json)) {
    const d = decodePilotScenario(json)
    return d.ok ? { ok: true, kind: "pilot", name: d.value.name, title: d.value.title } : d
  }
  if (isMoneyScenario(json)) {
    const d = decodeMoneyScenario(json)
    return d.ok
      ? {
          ok: true,
          kind: "money",
          name: String((json as { name?: unknown }).name ?? path),
          title: typeof title === "string" ? title : "money movement on real cards",
        }
      : d
  }
  const d = decodeIssuanceScenario(json)
  return d.ok
    ? {
        ok: true,
        kind: "issuance",
        name: d.value.name,
        title: typeof title === "string" ? title : "OTA issuance on real cards",
      }
    : d
}
