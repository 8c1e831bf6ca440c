/**
 * A small issuance scenario for tests: the issuance workbench's figures (issuance-workbench.json,
 * the issuance world's scenario 02 before 02 became a pilot scenario) with 40 users issuing within a day,
 * heavy loss, closure and SIM-swap shares so every flow runs, every SE form factor present, and
 * no outages unless a test adds them.
 */
import { readFileSync } from "node:fs"
import { resolve } from "node:path"
import {
  decodeIssuanceScenario,
  type IssuanceScenario,
} from "../../../../model/world/issuance/issuance-scenario.ts"

export const scenario02 = (): IssuanceScenario => {
  const d = decodeIssuanceScenario(
    JSON.parse(readFileSync(resolve(import.meta.dirname, "issuance-workbench.json"), "utf8")),
  )
  if (!d.ok) throw new Error(d.message)
  return d.value
}

export const smallScenario = (over: Partial<IssuanceScenario> = {}): IssuanceScenario => ({
  ...scenario02(),
  users: 40,
  issueWindowDays: 1,
  durationDays: 60,
  lossPermille: 300,
  closePermille: 300,
  reissueWaitDays: 2,
  simSwapPermille: 300,
  envelopeDuplicationPermille: 20,
  nfcSdPermille: 150,
  embeddedSePermille: 150,
  mtpsOutages: [],
  seIssuerOutages: [],
  ...over,
})
