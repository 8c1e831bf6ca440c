/**
 * Proves the byte plane's thread count changes nothing a run produces (issue 17 item 4): scenario
 * 04 with every user byte-level gives the same event digest, the same byte-level tallies and the
 * same crypto counts — OTA packets and bytes included — whether the issuances run on the kernel's
 * thread or on a worker beside it (and the worker really ran them); and that what cannot cross to a worker (a planted envelope
 * defect, the viewer's tracer) is refused there with a clear message instead of being dropped.
 */
import { readFileSync } from "node:fs"
import { join, resolve } from "node:path"
import { describe, expect, it } from "vitest"
import { nativeCrypto } from "../../../../../model/crypto/native-crypto.ts"
import { type PilotRunOptions, runPilot } from "../../../../../model/world/pilot/pilot-run.ts"
import { decodePilotScenario } from "../../../../../model/world/pilot/pilot-scenario.ts"

const repoRoot = resolve(import.meta.dirname, "../../../../..")
const plan = decodePilotScenario(
  JSON.parse(readFileSync(join(repoRoot, "scenarios/04-pilot-plan.json"), "utf8")),
)
if (!plan.ok) throw new Error(plan.message)

const run = (threads: number, beforeRun?: PilotRunOptions["beforeRun"]) =>
  runPilot({
    scenario: { ...plan.value, fidelity: { byteLevelFraction: 1 } },
    population: plan.population,
    scale: 0.001,
    seed: 11,
    crypto: nativeCrypto,
    untilDate: "2014-10-31",
    threads,
    ...(beforeRun === undefined ? {} : { beforeRun }),
  })

describe("the byte plane on one thread and on two", () => {
  it("gives the same digest, tallies and crypto counts, the worker running the issuances", () => {
    const one = run(1)
    const two = run(2)
    expect(one.world.issuanceJobs.workers).toBe(0)
    expect(two.world.issuanceJobs.workers).toBe(1)
    expect(one.world.cards.tally.issued).toBeGreaterThan(20)
    expect(one.world.cards.tally.transactions).toBeGreaterThan(0)
    expect(one.violations).toEqual([])
    expect(two.world.digest.hex()).toBe(one.world.digest.hex())
    expect(two.world.cards.tally).toEqual(one.world.cards.tally)
    expect(two.world.cryptoCounts).toEqual(one.world.cryptoCounts)
    expect(two.world.cards.chain.counts).toEqual(one.world.cards.chain.counts)
    expect(two.world.cards.held).toBe(one.world.cards.held)
    // The job planned the card's OTA delivery too: both steps' packets (at least one each) counted.
    const t = one.world.cards.tally
    expect(t.otaPackets).toBeGreaterThanOrEqual(2 * t.issued)
    expect(t.otaByBearer.bip + t.otaByBearer["sms-pp"] + t.otaByBearer["http-admin"]).toBeGreaterThanOrEqual(
      t.issued,
    )
    // The issuances' crypto is in the world's counts although the worker did it.
    expect(two.world.cryptoCounts.sm2Sign).toBeGreaterThanOrEqual(4 * one.world.cards.tally.issued)
  }, 300_000)

  it("refuses a planted envelope defect on the worker, naming the thread count it needs", () => {
    expect(() =>
      run(2, (w) => {
        w.cards.chain.tamper = () => true
      }),
    ).toThrow(/threads 1/)
  }, 300_000)
})
