/**
 * The composition root of a pilot run (DESIGN.md §2: one Effect per run, not per event; issue 12
 * item 1): it resolves the crypto layer and the parties' layers (pilot-party-layers.ts) once, then
 * builds the world with the plain values they provide, so the per-event path stays synchronous.
 * The CLI (app/run/) and the viewer's sessions (app/live/) provide `PILOT_LAYERS`; a test or a
 * what-if provides another party's layer in its place (`pilotLayers({ bankHost: … })`).
 */
import { Effect, Layer } from "effect"
import { CryptoService } from "../../crypto/crypto-service.ts"
import {
  BankHostParty,
  MtpsParty,
  type PilotParties,
  SeIssuerParty,
  TsmParty,
  UnionPayParty,
} from "./pilot-party-layers.ts"
import {
  type PilotRunOptions,
  type PilotRunState,
  type PilotStart,
  runPilot,
  startPilot,
} from "./pilot-run.ts"

/** What a pilot world needs from its layers. */
export type PilotServices =
  | CryptoService
  | TsmParty
  | MtpsParty
  | SeIssuerParty
  | BankHostParty
  | UnionPayParty

/** Layers to put in place of the faithful ones, by party (absent = faithful). */
export interface PilotLayerSwaps {
  readonly crypto?: Layer.Layer<CryptoService>
  readonly tsm?: Layer.Layer<TsmParty>
  readonly mtps?: Layer.Layer<MtpsParty>
  readonly seIssuer?: Layer.Layer<SeIssuerParty>
  readonly bankHost?: Layer.Layer<BankHostParty>
  readonly unionpay?: Layer.Layer<UnionPayParty>
}

/** Native crypto and every party as its faithful layer, with the given swaps. */
export const pilotLayers = (swaps: PilotLayerSwaps = {}): Layer.Layer<PilotServices> =>
  Layer.mergeAll(
    swaps.crypto ?? CryptoService.native,
    swaps.tsm ?? TsmParty.layer,
    swaps.mtps ?? MtpsParty.layer,
    swaps.seIssuer ?? SeIssuerParty.layer,
    swaps.bankHost ?? BankHostParty.layer,
    swaps.unionpay ?? UnionPayParty.layer,
  )

/** The layers of a run: native crypto and the faithful parties. */
export const PILOT_LAYERS: Layer.Layer<PilotServices> = pilotLayers()

/** The crypto and the parties' decisions, resolved once (a swapped layer's in its place). */
export const pilotParties: Effect.Effect<
  { readonly crypto: CryptoService["Service"]; readonly parties: PilotParties },
  never,
  PilotServices
> = Effect.gen(function* () {
  const crypto = yield* CryptoService
  const parties: PilotParties = {
    tsm: yield* TsmParty,
    mtps: yield* MtpsParty,
    seIssuer: yield* SeIssuerParty,
    bankHost: yield* BankHostParty,
    unionpay: yield* UnionPayParty,
  }
  return { crypto, parties }
})

type WorldChoice = Pick<
  PilotRunOptions,
  "scenario" | "population" | "scale" | "seed" | "untilDate" | "threads"
>

/** The world built from the layers and its empty run state, for a caller that paces its kernel. */
export const pilotStart = (o: WorldChoice): Effect.Effect<PilotStart, never, PilotServices> =>
  Effect.map(pilotParties, ({ crypto, parties }) => startPilot({ ...o, crypto, parties }))

/** The whole run at once from the layers (tests, sweeps): runPilot with the resolved parties. */
export const pilotRun = (
  o: Omit<PilotRunOptions, "crypto" | "parties">,
): Effect.Effect<PilotRunState, never, PilotServices> =>
  Effect.map(pilotParties, ({ crypto, parties }) => runPilot({ ...o, crypto, parties }))
