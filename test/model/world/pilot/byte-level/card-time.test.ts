/**
 * Proves the byte-level card-time model (byte-level/card-time.ts) and its agreement with the
 * background: the SE's own time per exchange follows its interface, command overhead and NVM
 * writes; the background's round-trip count (`apdusPerIssuance`) charges within 5 % of the mean
 * byte-level OTA issuance over the adopters' bearer mix (ota-calibration.ts), and its create-ssd
 * share is the byte-level one; and on a small pilot with every user byte-level, the charged
 * issuance time agrees with that mean within the sample's scatter, and taps cost milliseconds.
 */
import { readFileSync } from "node:fs"
import { join, resolve } from "node:path"
import { describe, expect, it } from "vitest"
import { nativeCrypto } from "../../../../../model/crypto/native-crypto.ts"
import {
  BACKGROUND_APDUS_PER_ISSUANCE,
  SE_TIMING,
  seExchangeUs,
} from "../../../../../model/world/pilot/byte-level/card-time.ts"
import { otaIssuanceFigures } from "../../../../../model/world/pilot/byte-level/ota-calibration.ts"
import { CREATE_SSD_APDU_SHARE } from "../../../../../model/world/pilot/issuance/pilot-tsm.ts"
import { runPilot } from "../../../../../model/world/pilot/pilot-run.ts"
import { decodePilotScenario } from "../../../../../model/world/pilot/pilot-scenario.ts"

const repoRoot = resolve(import.meta.dirname, "../../../../..")
const plan = decodePilotScenario(
  JSON.parse(readFileSync(join(repoRoot, "scenarios/04-pilot-plan.json"), "utf8")),
)
if (!plan.ok) throw new Error(plan.message)
const ota = plan.value.capacity.telcoOta
const rttMeanUs = (ota.apduRoundTripUsMin + ota.apduRoundTripUsMax) / 2

describe("card time", () => {
  it("charges the SE's bytes, command time and NVM writes per exchange", () => {
    const sim = SE_TIMING["NFC-SIM"]
    expect(seExchangeUs(sim, 10, 2, 0)).toBe(12 * 54 + 2_000)
    expect(seExchangeUs(sim, 10, 2, 2)).toBe(12 * 54 + 2_000 + 2 * 3_000)
    // The eSE's SPI and CPU are faster than a UICC's T=0 link.
    expect(seExchangeUs(SE_TIMING.eSE, 100, 50, 1)).toBeLessThan(seExchangeUs(sim, 100, 50, 1))
  })

  it("the background charges within 5 % of the byte-level OTA issuance over the adopters' bearers", () => {
    expect(ota.apdusPerIssuance).toBe(BACKGROUND_APDUS_PER_ISSUANCE)
    const fig = otaIssuanceFigures(nativeCrypto, plan.population, 11, 3)
    expect(fig.cells.every((c) => c.cards === 3)).toBe(true)
    expect(fig.cells.reduce((n, c) => n + c.share, 0)).toBeCloseTo(1, 9)
    // SMS-PP's queue of concatenated SMS is the slowest bearer, BIP's few round trips the fastest.
    const by = (bearer: string) => fig.cells.find((c) => c.bearer === bearer)!.meanUs
    expect(by("sms-pp")).toBeGreaterThan(by("http-admin"))
    expect(by("http-admin")).toBeGreaterThan(by("bip"))
    const background = ota.apdusPerIssuance * rttMeanUs
    expect(Math.abs(background / fig.meanUs - 1)).toBeLessThan(0.05)
    // The background spreads its round trips over create-ssd and personalize as the bytes do.
    expect(Math.abs(CREATE_SSD_APDU_SHARE - fig.createSsdShare)).toBeLessThan(0.02)
  }, 120_000)

  it("a pilot at 100 % byte-level charges its issuances the OTA plans' time", () => {
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
    expect(t.violations).toEqual([])
    expect(t.otaByBearer["sms-pp"] + t.otaByBearer.bip + t.otaByBearer["http-admin"]).toBeGreaterThanOrEqual(
      t.issued,
    )
    expect(Math.min(t.otaByBearer["sms-pp"], t.otaByBearer.bip, t.otaByBearer["http-admin"])).toBeGreaterThan(
      0,
    )
    const byteLevelMean = t.issuanceCardUs / t.issued
    // ~180 cards of a mix whose SMS-PP cells take 4× the mean: the sample mean scatters by ~8 %.
    const background = ota.apdusPerIssuance * rttMeanUs
    expect(Math.abs(byteLevelMean / background - 1)).toBeLessThan(0.25)
    // A tap is tens of milliseconds of ISO 14443 at 106 kbit/s, not seconds.
    expect(t.tapCardUs / t.transactions).toBeGreaterThan(10_000)
    expect(t.tapCardUs / t.transactions).toBeLessThan(500_000)
  }, 300_000)
})
