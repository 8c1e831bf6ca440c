/**
 * The world of an issuance run (data plane, plain TypeScript): kernel, digest and signal bus; the
 * pilot PKI from the seed (model/host/pki/pilot-pki.ts: the MTPS CA and every institution's key
 * and certificate); the institutions — MTPS, five SE issuers (three telcos' NFC-SIMs, an NFC-SD
 * issuer, a handset maker's eSE), the 贵州通 TSM and a national bank's SP-TSM — each with its
 * signed-envelope endpoint; the links between them (world-links.ts); the handsets; and SE
 * manufacturing. The control plane builds it through the layers of parties-layers.ts.
 */

import { Kernel } from "../../../sim/kernel/kernel.ts"
import { makePort, type Port } from "../../../sim/kernel/port.ts"
import type { Link } from "../../../sim/network/link.ts"
import { EventDigest } from "../../../sim/recorder/digest.ts"
import { SignalBus } from "../../../sim/recorder/signals.ts"
import type { Sink } from "../../../sim/recorder/sink.ts"
import type { SimulatedCard } from "../../card/card.ts"
import { type CardProfile, EMBEDDED_SE, NFC_SD, NFC_SIM } from "../../card/profile.ts"
import type { Crypto } from "../../crypto/crypto.ts"
import { seededBytes } from "../../host/card-story/seeded-bytes.ts"
import { hashEntropy } from "../../host/pki/entropy.ts"
import { PILOT_START_S, type PilotPki, pilotPki } from "../../host/pki/pilot-pki.ts"
import { Handsets } from "../../parties/handset/handsets.ts"
import { Institution } from "../../parties/messages/institution.ts"
import type { MtpsHub } from "../../parties/mtps/mtps-hub.ts"
import { OTA_BEARERS } from "../../parties/ota/ota-bearer.ts"
import type { SeType } from "../../parties/ota/seram.ts"
import type { SeIssuer, SeIssuerOptions } from "../../parties/telco/se-issuer.ts"
import type { PlatformTsm, TsmOptions } from "../../parties/tsm/platform-tsm.ts"
import type { IssuanceScenario, SE_ISSUER_IDS } from "./issuance-scenario.ts"
import { BANKS, CONTRACTED_SPS, publishApps } from "./pilot-apps.ts"
import { makeSe } from "./se-maker.ts"
import { windowsOf, wire } from "./world-links.ts"

export type SeIssuerId = (typeof SE_ISSUER_IDS)[number]

/** Each SE issuer's institution id in the pilot roster and the form factor it issues. */
export const SE_ISSUERS: Readonly<
  Record<SeIssuerId, { institution: string; profile: CardProfile; seType: SeType }>
> = {
  cmcc: { institution: "cmcc-tsm", profile: NFC_SIM, seType: "uicc" },
  cucc: { institution: "cucc-tsm", profile: NFC_SIM, seType: "uicc" },
  ctcc: { institution: "ctc-tsm", profile: NFC_SIM, seType: "uicc" },
  nfcsd: { institution: "nfcsd-tsm", profile: NFC_SD, seType: "undefined" },
  ese: { institution: "ese-tsm", profile: EMBEDDED_SE, seType: "eSE" },
}

export const HUB_ID = "mtps"
export const GZT_ID = "gzt-tsm"
export const SP_TSM_ID = "ccb-sp-tsm"
const US_PER_MINUTE = 60_000_000

/** Builds the MTPS hub from its institution endpoint; the layer decides which hub (healthy or not). */
export type MtpsFactory = (institution: Institution, scenario: IssuanceScenario) => MtpsHub

/**
 * How each party kind is made: the control plane resolves these once per run from the party
 * layers (party-layers.ts), so a scenario can swap one kind's behaviour without touching the
 * others; the data plane then calls the parties directly.
 */
export interface PartyFactories {
  readonly mtps: MtpsFactory
  readonly seIssuer: (institution: Institution, options: SeIssuerOptions) => SeIssuer
  readonly tsm: (institution: Institution, options: TsmOptions) => PlatformTsm
}

export interface World {
  readonly kernel: Kernel
  readonly port: Port
  readonly digest: EventDigest
  readonly signals: SignalBus
  readonly crypto: Crypto
  readonly pki: PilotPki
  readonly institutions: ReadonlyMap<string, Institution>
  readonly mtps: MtpsHub
  readonly issuers: ReadonlyMap<SeIssuerId, SeIssuer>
  readonly gzt: PlatformTsm
  readonly spTsm: PlatformTsm
  readonly handsets: Handsets
  readonly cards: Map<string, SimulatedCard>
  readonly links: Map<string, Link<Uint8Array>>
  manufacture(seId: string, issuer: SeIssuerId): void
}

const retryPolicy = (sc: IssuanceScenario) => ({
  attemptsMax: sc.retryAttemptsMax,
  backoffUsBase: sc.retryBackoffSecondsBase * 1_000_000,
  backoffUsMax: sc.retryBackoffSecondsMax * 1_000_000,
  timeoutUs: (step: string) =>
    step === "wait"
      ? sc.reissueWaitDays * 1440 * US_PER_MINUTE + US_PER_MINUTE
      : sc.stepTimeoutSeconds * 1_000_000,
})

/**
 * Makes each institution's signed-envelope endpoint (key and certificate from the pilot PKI,
 * entropy from the seed) and remembers it, so the world can list every institution it made.
 */
const institutionMaker = (
  port: Port,
  crypto: Crypto,
  pki: PilotPki,
  scenario: IssuanceScenario,
  seed: number,
) => {
  const institutions = new Map<string, Institution>()
  const make = (id: string): Institution => {
    const key = pki.keys.get(id)
    if (key === undefined) throw new Error(`${id} is not in the pilot roster`)
    const made = new Institution(port, {
      crypto,
      id,
      ca: pki.ca,
      key,
      entropy: hashEntropy(crypto, `tsm-twin run ${seed}/envelopes/${id}`),
      windowUs: scenario.envelopeWindowSeconds * 1_000_000,
      epochUs: PILOT_START_S * 1_000_000,
    })
    institutions.set(id, made)
    return made
  }
  return { institutions, make }
}

/** The five SE issuers, each on its scenario-chosen OTA bearer. */
const seIssuers = (
  inst: (id: string) => Institution,
  parties: PartyFactories,
  scenario: IssuanceScenario,
  crypto: Crypto,
  seed: number,
) => {
  const issuers = new Map<SeIssuerId, SeIssuer>()
  for (const [id, { institution }] of Object.entries(SE_ISSUERS) as Array<
    [SeIssuerId, { institution: string }]
  >)
    issuers.set(
      id,
      parties.seIssuer(inst(institution), {
        hubId: HUB_ID,
        bearer: OTA_BEARERS[scenario.otaBearers[id]],
        otaTimeoutUs: 60_000_000,
        otaAttemptsMax: 3,
        draw: seededBytes(crypto, seed, `draw:${institution}`),
      }),
    )
  return issuers
}

export const buildWorld = (
  scenario: IssuanceScenario,
  seed: number,
  crypto: Crypto,
  sinks: ReadonlyArray<Sink>,
  parties: PartyFactories,
): World => {
  const kernel = new Kernel({ capacity: 1 << 14 })
  const digest = new EventDigest()
  kernel.log = digest
  const signals = new SignalBus(digest, sinks)
  const port = makePort(kernel, seed, signals)
  const pki = pilotPki(crypto, `tsm-twin run ${seed}`)
  const { institutions, make: inst } = institutionMaker(port, crypto, pki, scenario, seed)
  const mtps = parties.mtps(inst(HUB_ID), scenario)
  const tsm = (id: string, route: "wallet" | "ota") =>
    parties.tsm(inst(id), {
      hubId: HUB_ID,
      policy: retryPolicy(scenario),
      route,
      issuerKeys: BANKS.issuerKeys(crypto, seed, id),
      contractedSps: CONTRACTED_SPS[id] ?? new Set(),
      draw: seededBytes(crypto, seed, `draw:${id}`),
    })
  const gzt = tsm(GZT_ID, "wallet")
  const spTsm = tsm(SP_TSM_ID, "ota")
  const issuers = seIssuers(inst, parties, scenario, crypto, seed)
  const handsets = new Handsets(port, { seApduUs: scenario.seApduMs * 1000 })
  const links = wire(kernel, port, scenario, { mtps, gzt, spTsm, issuers, handsets })
  publishApps(gzt, spTsm)
  const cards = new Map<string, SimulatedCard>()
  const manufacture = (seId: string, issuer: SeIssuerId) => {
    const { card, access } = makeSe(crypto, seed, seId, SE_ISSUERS[issuer].profile)
    cards.set(seId, card)
    issuers.get(issuer)!.enrol(seId, access)
    mtps.registerSe(seId, SE_ISSUERS[issuer].institution)
    handsets.insert(seId, card, SE_ISSUERS[issuer].seType)
  }
  return {
    kernel,
    port,
    digest,
    signals,
    crypto,
    pki,
    institutions,
    mtps,
    issuers,
    gzt,
    spTsm,
    handsets,
    cards,
    links,
    manufacture,
  }
}

export { windowsOf }
