/**
 * A capacity-bound issuance scenario for sweep tests: the issuance workbench's JSON
 * (test/model/world/issuance/issuance-workbench.json) (so fields the Schema
 * gains later carry over) with 100 users asking within one day, a single MTPS outage, and an MTPS
 * whose envelopes take 30 s each — slow enough that one to four servers make a visible difference
 * to issuance latency in a three-day run — plus two phase targets for the report.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join, resolve } from "node:path"

export const capacityScenario = (): Record<string, unknown> => ({
  ...JSON.parse(
    readFileSync(resolve(import.meta.dirname, "../../model/world/issuance/issuance-workbench.json"), "utf8"),
  ),
  name: "capacity-small",
  users: 100,
  issueWindowDays: 1,
  durationDays: 3,
  mtpsServers: 1,
  mtpsServiceUs: 30_000_000,
  stepTimeoutSeconds: 900,
  mtpsOutages: [{ startMinute: 600, durationMinutes: 30 }],
  seIssuerOutages: [],
  targets: [
    { phase: "phase 1", kpi: "cardsIssued", atLeast: 90, byDay: 1 },
    { phase: "phase 2", kpi: "issueLatencyUsP95", atMost: 60_000_000 },
  ],
})

/** Writes the scenario to a fresh temporary file and returns its path. */
export const capacityScenarioFile = (over: Record<string, unknown> = {}): string => {
  const path = join(mkdtempSync(join(tmpdir(), "capacity-")), "capacity-small.json")
  writeFileSync(path, JSON.stringify({ ...capacityScenario(), ...over }, null, 2))
  return path
}
