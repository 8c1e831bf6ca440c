/**
 * Proves that 挂失 locks and 销户 closes never give up silently in the pilot: with the lost-phone
 * wave (scenario 12) on an OTA bearer that fails most attempts and goes down for two days at a
 * time, lock and close orders spend far more failed attempts than the TSM's attemptsMax and still
 * every one that ended reached the SE and MTPS (the issuance auditor's `lock-close-reached-se`
 * finds nothing, and it checked some). The auditor's own planted-defect tests are in
 * issuance-network.test.ts.
 */
import { readFileSync } from "node:fs"
import { join, resolve } from "node:path"
import { describe, expect, it } from "vitest"
import { nativeCrypto } from "../../../../../model/crypto/native-crypto.ts"
import { Life } from "../../../../../model/world/pilot/issuance/issuance-registries.ts"
import { runPilot } from "../../../../../model/world/pilot/pilot-run.ts"
import { decodePilotScenario } from "../../../../../model/world/pilot/pilot-scenario.ts"

const repoRoot = resolve(import.meta.dirname, "../../../../..")

/** Scenario 12 on a hostile bearer: every lifecycle step fails often, and for days at a time. */
const hostile = () => {
  const json = JSON.parse(readFileSync(join(repoRoot, "scenarios/12-lost-phone-wave.json"), "utf8"))
  const capacity = json.capacity
  json.capacity = { ...capacity, telcoOta: { ...capacity.telcoOta, failurePermille: 1000 } }
  json.untilDate = "2015-06-30"
  json.fidelity = { byteLevelFraction: 0 }
  // A two-day bearer outage every month from the first losses on: a lock made then waits it out.
  json.outages = ["2014-10", "2014-11", "2014-12", "2015-01", "2015-02", "2015-03", "2015-04", "2015-05"].map(
    (month) => ({ target: "telco-ota", startDate: `${month}-05`, durationHours: 48 }),
  )
  const d = decodePilotScenario(json)
  if (!d.ok) throw new Error(d.message)
  return d
}

describe("lifecycle orders under a failing OTA bearer", () => {
  it("retry past attemptsMax until the SE has them: every ended lock and close reached the SE", () => {
    const d = hostile()
    expect(d.value.capacity.telcoOta.attemptsMax).toBe(3)
    let lifecycleAttemptsMax = 0
    let lifecycleOrders = 0
    const seen = new Set<string>()
    const s = runPilot({
      scenario: d.value,
      population: d.population,
      scale: 0.003,
      seed: 7,
      crypto: nativeCrypto,
      beforeRun: (world) => {
        // Every step of every order passes MTPS; the observer only reads the order.
        world.flows.observer = (flow) => {
          if (flow.kind !== "lock" && flow.kind !== "close") return
          if (!seen.has(flow.orderId)) lifecycleOrders++
          seen.add(flow.orderId)
          lifecycleAttemptsMax = Math.max(lifecycleAttemptsMax, flow.attempts)
        }
      },
    })
    expect(s.violations).toEqual([])
    expect(s.invariants["lock-close-reached-se"]!.checks).toBeGreaterThan(10)
    expect(s.invariants["lock-close-reached-se"]!.violations).toBe(0)
    expect(s.invariants["issuance-registries-agree"]!.violations).toBe(0)
    expect(lifecycleOrders).toBeGreaterThan(10)
    // The bearer made some lifecycle order fail more often than the TSM's attemptsMax (3).
    expect(lifecycleAttemptsMax).toBeGreaterThan(d.value.capacity.telcoOta.attemptsMax)
    // Recounted from the registries, beside the auditor: locks and closes that ended, none failed.
    const life = [...s.world.flows.registries.life]
    expect(life.filter((l) => l === Life.locked || l === Life.closed).length).toBeGreaterThan(10)
    expect(life.filter((l) => l === Life.lockFailed || l === Life.closeFailed)).toEqual([])
  }, 120_000)
})
