// Proves that the composition root takes its parties from layers: the same scenario run with the
// scenario's faulty MTPS layer loses messages to the outage, and with MTPS.healthy swapped in it
// loses none and ends differently, while both keep every invariant.
import { Effect, Layer } from "effect"
import { describe, expect, it } from "vitest"
import { CryptoService } from "../../../../model/crypto/crypto-service.ts"
import { issuanceRun } from "../../../../model/world/issuance/issuance-root.ts"
import type { IssuanceScenario } from "../../../../model/world/issuance/issuance-scenario.ts"
import { MtpsParty, SeIssuerParty, TsmParty } from "../../../../model/world/issuance/party-layers.ts"
import { smallScenario } from "./small-scenario.ts"

const runWith = (mtps: Layer.Layer<MtpsParty>, sc: IssuanceScenario) =>
  Effect.runSync(
    issuanceRun(sc, 4).pipe(
      Effect.provide(Layer.mergeAll(CryptoService.native, mtps, SeIssuerParty.layer, TsmParty.layer)),
    ),
  )

describe("party layers", () => {
  it("swaps the scenario's faulty MTPS for a healthy one without touching the other parties", () => {
    const sc = smallScenario({ users: 20, mtpsOutages: [{ startMinute: 0, durationMinutes: 600 }] })
    const faulty = runWith(MtpsParty.layer, sc)
    const healthy = runWith(MtpsParty.healthy, sc)
    expect(faulty.world.mtps.dropped).toBeGreaterThan(0)
    expect(healthy.world.mtps.dropped).toBe(0)
    expect(healthy.digest).not.toBe(faulty.digest)
    for (const run of [faulty, healthy])
      expect(Object.values(run.audit.counts).reduce((n, c) => n + c.violations, 0)).toBe(0)
  }, 60_000)
})
