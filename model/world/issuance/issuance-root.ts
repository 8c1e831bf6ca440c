/**
 * The composition root of an issuance run (DESIGN.md §2: one Effect per run, not per event): it
 * resolves the crypto layer and the party layers once, then runs the world synchronously. The CLI
 * provides `ISSUANCE_LAYERS`; a test or a what-if provides another MTPS (or SE issuer, or TSM)
 * layer in its place, e.g. `MtpsParty.healthy` instead of the scenario's faulty hub.
 */
import { Effect, Layer } from "effect"
import type { Sink } from "../../../sim/recorder/sink.ts"
import { CryptoService } from "../../crypto/crypto-service.ts"
import type { IssuanceScenario } from "./issuance-scenario.ts"
import { MtpsParty, SCENARIO_PARTY_LAYERS, SeIssuerParty, TsmParty } from "./party-layers.ts"
import { type IssuanceRun, type IssuanceStart, runIssuance, startIssuance } from "./run-issuance.ts"

export const ISSUANCE_LAYERS = Layer.mergeAll(CryptoService.native, SCENARIO_PARTY_LAYERS)

/** The crypto and the party factories the layers provide (a test swaps a party's layer). */
const fromLayers = Effect.gen(function* () {
  const crypto = yield* CryptoService
  const parties = {
    mtps: (yield* MtpsParty).make,
    seIssuer: (yield* SeIssuerParty).make,
    tsm: (yield* TsmParty).make,
  }
  return { crypto, parties }
})

export const issuanceRun = (
  scenario: IssuanceScenario,
  seed: number,
  onDay: (day: number, run: Omit<IssuanceRun, "digest">) => void = () => {},
  sinks: ReadonlyArray<Sink> = [],
): Effect.Effect<IssuanceRun, never, CryptoService | MtpsParty | SeIssuerParty | TsmParty> =>
  fromLayers.pipe(
    Effect.map(({ crypto, parties }) => runIssuance(scenario, seed, crypto, onDay, parties, sinks)),
  )

/** The world built and started, for a caller that paces its kernel (app/run/issuance-command.ts). */
export const issuanceStart = (
  scenario: IssuanceScenario,
  seed: number,
  onDay: (day: number, run: Omit<IssuanceRun, "digest">) => void = () => {},
  sinks: ReadonlyArray<Sink> = [],
): Effect.Effect<IssuanceStart, never, CryptoService | MtpsParty | SeIssuerParty | TsmParty> =>
  fromLayers.pipe(
    Effect.map(({ crypto, parties }) => startIssuance(scenario, seed, crypto, onDay, parties, sinks)),
  )
