/**
 * Proves the population Schema accepts the three calibrations as JSON and rejects bad input with a
 * message naming the path and what was expected there.
 */
import { describe, expect, it } from "vitest"
import { CALIBRATIONS, PILOT_PLAN } from "../../../model/population/pilot-calibrations.ts"
import { decodePopulationParams } from "../../../model/population/population-params.ts"

const json = (x: unknown): unknown => JSON.parse(JSON.stringify(x))

describe("population params", () => {
  it("decodes every calibration from its JSON form", () => {
    for (const p of CALIBRATIONS.values())
      expect(decodePopulationParams(json(p))).toEqual({ ok: true, value: json(p) })
  })

  it("names the path of a wrong type, a negative rate and a malformed date", () => {
    const bad = json(PILOT_PLAN) as { adoption: Record<string, unknown>; timeZeroDate: string }
    bad.adoption.imitationPerYear = -1
    bad.timeZeroDate = "1 Aug 2014"
    const r = decodePopulationParams(bad)
    expect(r.ok).toBe(false)
    if (r.ok) return
    expect(r.message).toContain(`["adoption"]["imitationPerYear"]`)
    expect(r.message).toContain(`["timeZeroDate"]`)
  })

  it("rejects a mix that does not add up, too few hours and falling NFC shares", () => {
    const mix = json(PILOT_PLAN) as { behaviour: { mix: { countPermille: number }[] } }
    mix.behaviour.mix[0]!.countPermille += 1
    expect(decodePopulationParams(mix)).toMatchObject({
      ok: false,
      message: expect.stringContaining(`["mix"]`),
    })
    const hours = json(PILOT_PLAN) as { behaviour: { profiles: { retail: { hourlyWeights: number[] } } } }
    hours.behaviour.profiles.retail.hourlyWeights.pop()
    expect(decodePopulationParams(hours)).toMatchObject({
      ok: false,
      message: expect.stringContaining("hourlyWeights"),
    })
    const nfc = json(PILOT_PLAN) as { handsets: { nfcShareByYear: { sharePermille: number }[] } }
    nfc.handsets.nfcShareByYear[2]!.sharePermille = 10
    expect(decodePopulationParams(nfc)).toMatchObject({
      ok: false,
      message: expect.stringContaining("nfcShareByYear"),
    })
  })
})
