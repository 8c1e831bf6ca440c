/**
 * Proves the byte-level card-time model (byte-level/card-time.ts): an OTA session costs one bearer
 * round trip plus the SE's own time per exchange, the round trip is uniform in the scenario's
 * bounds like the background's draw, the SE types differ by their interfaces, and — on a small
 * pilot with every user byte-level — the mean byte-level issuance time agrees within 5 % with what
 * the background path charges for the same round trips (`apdusPerIssuance` × round trip), and
 * lies between its APDUs × the shortest and × the longest round trip plus SE time.
 */
import { readFileSync } from "node:fs"
import { join, resolve } from "node:path"
import { describe, expect, it } from "vitest"
import { nativeCrypto } from "../../../../../model/crypto/native-crypto.ts"
import {
  BACKGROUND_APDUS_PER_ISSUANCE,
  OtaClock,
  roundTripUs,
  SE_TIMING,
  STORY_ISSUANCE_APDUS,
  seExchangeUs,
} from "../../../../../model/world/pilot/byte-level/card-time.ts"
import { runPilot } from "../../../../../model/world/pilot/pilot-run.ts"
import { decodePilotScenario } from "../../../../../model/world/pilot/pilot-scenario.ts"

const repoRoot = resolve(import.meta.dirname, "../../../../..")
const plan = decodePilotScenario(
  JSON.parse(readFileSync(join(repoRoot, "scenarios/04-pilot-plan.json"), "utf8")),
)
if (!plan.ok) throw new Error(plan.message)
const ota = plan.value.capacity.telcoOta

describe("card time", () => {
  it("charges a round trip plus the SE's bytes, command time and NVM writes per exchange", () => {
    const sim = SE_TIMING["NFC-SIM"]
    expect(seExchangeUs(sim, 10, 2, 0)).toBe(12 * 54 + 2_000)
    expect(seExchangeUs(sim, 10, 2, 2)).toBe(12 * 54 + 2_000 + 2 * 3_000)
    const clock = new OtaClock(sim, 400_000)
    clock.exchange(10, 2, 1)
    clock.exchange(20, 2, 0)
    expect(clock.apdus).toBe(2)
    expect(clock.us).toBe(2 * 400_000 + seExchangeUs(sim, 10, 2, 1) + seExchangeUs(sim, 20, 2, 0))
    // The eSE's SPI and CPU are faster than a UICC's T=0 link.
    expect(seExchangeUs(SE_TIMING.eSE, 100, 50, 1)).toBeLessThan(seExchangeUs(sim, 100, 50, 1))
  })

  it("draws the round trip uniformly in the scenario's bounds, by (seed, user, generation)", () => {
    const draws = Array.from({ length: 20_000 }, (_, u) => roundTripUs(ota, 1, u, 0))
    expect(Math.min(...draws)).toBeGreaterThanOrEqual(ota.apduRoundTripUsMin)
    expect(Math.max(...draws)).toBeLessThanOrEqual(ota.apduRoundTripUsMax)
    const mean = draws.reduce((a, b) => a + b, 0) / draws.length
    // Uniform mean ± 5 sd of the sample mean (sd of U(150, 800) ms ≈ 188 ms, / √20000 ≈ 1.3 ms).
    expect(Math.abs(mean - (ota.apduRoundTripUsMin + ota.apduRoundTripUsMax) / 2)).toBeLessThan(7_000)
    expect(roundTripUs(ota, 1, 5, 0)).toBe(roundTripUs(ota, 1, 5, 0))
    expect(draws.slice(0, 100)).not.toEqual(Array.from({ length: 100 }, (_, u) => roundTripUs(ota, 1, u, 1)))
  })

  it("byte-level issuances take what the background charges, within 5 %", () => {
    expect(ota.apdusPerIssuance).toBe(BACKGROUND_APDUS_PER_ISSUANCE)
    const s = runPilot({
      scenario: { ...plan.value, fidelity: { byteLevelFraction: 1 } },
      population: plan.population,
      scale: 0.002,
      seed: 11,
      crypto: nativeCrypto,
      untilDate: "2014-10-31",
    })
    const t = s.world.cards.tally
    expect(t.issued).toBeGreaterThan(50)
    expect(t.apdus).toBeGreaterThanOrEqual(t.issued * STORY_ISSUANCE_APDUS)
    const byteLevelMean = t.issuanceCardUs / t.issued
    // What the background would charge these issuances: its APDU count × the same round trips
    // (a hundred cards' draws scatter their mean by ~4 %, so compare like with like) …
    const rttMean = t.issuanceRoundTripUs / t.issued
    expect(Math.abs(byteLevelMean / (ota.apdusPerIssuance * rttMean) - 1)).toBeLessThan(0.05)
    // … and the draws are the background's distribution (the previous test), so the means agree.
    const background = ota.apdusPerIssuance * ((ota.apduRoundTripUsMin + ota.apduRoundTripUsMax) / 2)
    expect(Math.abs(byteLevelMean / background - 1)).toBeLessThan(0.15)
    expect(byteLevelMean).toBeGreaterThan(STORY_ISSUANCE_APDUS * ota.apduRoundTripUsMin)
    expect(byteLevelMean).toBeLessThan(STORY_ISSUANCE_APDUS * (ota.apduRoundTripUsMax + 60_000))
    // A tap is tens of milliseconds of ISO 14443 at 106 kbit/s, not seconds.
    expect(t.tapCardUs / t.transactions).toBeGreaterThan(10_000)
    expect(t.tapCardUs / t.transactions).toBeLessThan(500_000)
  }, 300_000)
})
