/**
 * A byte-level issuance as the SE issuer's OTA platform sends it (issue 13 item 5, issue 12 item 3):
 * the real command APDUs of the card's personalization, cut into the order's two OTA steps, each
 * sent through `planOtaDelivery` (model/ota/ota-delivery.ts) on the bearer that reaches the user's
 * SE. The plan's packets are real bytes (TS 102 225 secured packets for SMS-PP and BIP, GP
 * Amendment B HTTP messages for HTTP admin); the step's time is the plan's bearer time plus the
 * SE's own processing time.
 *
 * The two steps follow the story's actors (model/host/card-story/card-story.ts): the ISD's script
 * (secure channel, INSTALL [for install] of the SSD with Authorized Management, PUT KEY, the PBOC
 * load file) is the order's `create-ssd`; the SSD's script (its secure channel, INSTALL of PPSE and
 * PBOC, STORE DATA) is `personalize` — the split the background spreads its modelled time over
 * (issuance/pilot-tsm.ts `CREATE_SSD_APDU_SHARE`).
 *
 * Bearer per SE (the pilot's telco configurations are not public; the mapping is the twin's
 * assumption, documented with its reasons in model/parties/ota/ota-bearer.ts and the same as
 * scenarios/02-issuance-1000.json `otaBearers`):
 * - NFC-SIM of China Mobile or China Unicom: BIP (CAT-TP, TS 102 127) — their SWP SIMs of 2014-2017
 *   had BIP for applet loads, and a PBOC load file is a dozen SMS or more;
 * - NFC-SIM of China Telecom: SMS-PP (TS 31.115 concatenated SMS) — its OTA platform on the CDMA
 *   network is assumed SMS-based;
 * - NFC-SD and eSE: HTTP admin (GP Amendment B) — they have no SIM toolkit, so SMS-PP and BIP
 *   cannot reach them; the handset's admin agent relays the script over HTTPS.
 *
 * What the script holds: every command the card received, as it received it, except GET RESPONSE
 * (the T=0 link's chunking of long answers: a remote script's answers come back whole). A host can
 * send a script in one batch only where it can compute every command before the card answers:
 * SCP02 with i bit b7 (pseudo-random card challenge, GP 2.2 Annex E.1.1: the NFC-SIM's i=55) and
 * SCP03 with i bit b5 (Amendment D §5.1: the eSE's i=70). The NFC-SD's SCP02 i=15 card challenge is
 * random, so the server needs the INITIALIZE UPDATE answer first: the HTTP admin session takes one
 * more POST / 200 exchange after it.
 *
 * Keys and counters: each card's KIc/KID (3DES two keys, KIc/KID index 1) derive from the run's key
 * seed by SM3, with the TS 102 225 SPI the telcos' platforms are assumed to use (cryptographic
 * checksum, ciphering, counter must be higher; PoR always, with CC, ciphered). The ISD is addressed
 * by TAR 000000 (TS 101 220 §8.2.1); the SSD by the last three bytes of its AID (TS 102 226
 * §8.2.1.3.2.1 takes the TAR from AID bytes 13-15 when the INSTALL gives none; the story's SSD AID
 * is shorter, so the twin's own choice). A new SE's counter starts at 0; personalize continues
 * from the counter create-ssd left.
 *
 * Time: one uniform draw per step, by (seed, user, generation, step), between the plan's fastest
 * and slowest bearer time (a hash, no stream: the draw depends on nothing else); the SE time per
 * command is card-time.ts's (bytes over its interface, command overhead, NVM writes). The bearer
 * part is what a degraded bearer slows (issuance/pilot-se-issuers.ts); the SE's part is not.
 */
import { hex } from "../../../bytes/hex.ts"
import { CARD_PROFILES, type ScpSupport } from "../../../card/profile.ts"
import type { Crypto } from "../../../crypto/crypto.ts"
import { BANK_SSD_AID } from "../../../host/card-story/story-context.ts"
import type { AdminAgent } from "../../../ota/http-admin.ts"
import { type OtaDelivery, planOtaDelivery } from "../../../ota/ota-delivery.ts"
import type { OtaTraceDelivery } from "../../../ota/ota-pcap.ts"
import { decodeSpi } from "../../../ota/ota-security.ts"
import type { OtaKeys } from "../../../ota/secured-packet.ts"
import type { OtaBearerName } from "../../../parties/ota/ota-bearer.ts"
import type { SeType as SeramSeType } from "../../../parties/ota/seram.ts"
import {
  type PopulationParams,
  SE_TYPES,
  type SeType,
  TELCO_IDS,
  type TelcoId,
} from "../../../population/population-params.ts"
import { mix3, SE_TIMING, type SeTiming, seExchangeUs } from "./card-time.ts"
import type { UserRoute } from "./user-route.ts"

/** The order steps an issuance's OTA scripts belong to (model/parties/tsm/order-machine.ts). */
export const ISSUANCE_OTA_STEPS = ["create-ssd", "personalize"] as const
export type IssuanceOtaStep = (typeof ISSUANCE_OTA_STEPS)[number]

/** The bearer of each SE issuer (see the file comment for the reasons). */
export const PILOT_OTA_BEARERS: Readonly<Record<TelcoId | "NFC-SD" | "eSE", OtaBearerName>> = {
  cmcc: "bip",
  cucc: "bip",
  ctcc: "sms-pp",
  "NFC-SD": "http-admin",
  eSE: "http-admin",
}

export const otaBearerOf = (seType: SeType, telco: TelcoId): OtaBearerName =>
  PILOT_OTA_BEARERS[seType === "NFC-SIM" ? telco : seType]

/** SERAM's names for the pilot's SE types (seram.ts: a microSD SE has none, it reports `undefined`). */
const SERAM_SE_TYPE: Readonly<Record<SeType, SeramSeType>> = {
  "NFC-SIM": "uicc",
  "NFC-SD": "undefined",
  eSE: "eSE",
}

/** Whether a host can compute the card challenge, so a whole script can go before any answer. */
export const hostPredictsChallenge = (scp: ScpSupport): boolean =>
  scp.protocol === "SCP02" ? (scp.i & 0x40) !== 0 : (scp.i & 0x10) !== 0

/** One command of a step's script as the card processed it. */
export interface ScriptCommand {
  readonly command: Uint8Array
  readonly responseBytes: number
  readonly writes: number
}

/** A step's time: the bearer's part (a degradation slows it) and the SE's own. */
export interface OtaStepTime {
  readonly bearerUs: number
  readonly seUs: number
  /** The draw's expectation: the middle of the plan's bearer time range (for calibration). */
  readonly bearerUsMean: number
}

/** What an issuance's OTA delivery was: its bearer, the steps' times and what crossed the air. */
export interface IssuanceOta {
  readonly bearer: OtaBearerName
  readonly steps: Readonly<Record<IssuanceOtaStep, OtaStepTime>>
  /** Secured command packets (SMS-PP, BIP) or HTTP messages (HTTP admin), both steps. */
  readonly packets: number
  readonly packetBytes: number
  /** Bytes on the bearer both ways (SMS user data and PoRs, CAT-TP PDUs, TLS records). */
  readonly bearerBytes: number
}

export interface IssuanceOtaRequest {
  readonly seType: SeType
  readonly telco: TelcoId
  readonly scp: ScpSupport
  readonly timing: SeTiming
  readonly scripts: Readonly<Record<IssuanceOtaStep, ReadonlyArray<ScriptCommand>>>
  /** The card's OTA key set (`otaKeysOf`). */
  readonly keys: OtaKeys
  /** (seed, user, generation) of the card: the time draws' inputs. */
  readonly draw: readonly [number, number, number]
}

/** SPI 16 19: CC, ciphered, counter higher; PoR always, CC, ciphered, in the DELIVER-REPORT. */
const PILOT_SPI = decodeSpi(0x16, 0x19)
const ISD_TAR = hex("000000")
const SSD_TAR = BANK_SSD_AID.slice(BANK_SSD_AID.length - 3)
const TWO_32 = 4294967296

/** The card's TS 102 225 keys: SM3 of (key seed, user, generation), KIc ‖ KID. */
export const otaKeysOf = (crypto: Crypto, keySeed: string, user: number, generation: number): OtaKeys => {
  const label = Uint8Array.from(`${keySeed}/ota-keys/${user}.${generation}`, (c) => c.charCodeAt(0) & 0xff)
  const digest = crypto.sm3(label)
  return { algorithm: "3DES", index: 1, kic: digest.slice(0, 16), kid: digest.slice(16, 32) }
}

/** The handset's admin agent for an SE (Amendment B §3.4.1 `X-Admin-From`). */
const agentOf = (user: number, generation: number): AdminAgent => ({
  uri: "/gp/admin",
  host: "ota.se-issuer.example",
  from: `//se-id/pilot/${user}.${generation};//aa-id/aid/A000000151/000000`,
})

const isInitializeUpdate = (c: Uint8Array): boolean => (c[0]! & 0x80) !== 0 && c[1] === 0x50

const stepSeUs = (timing: SeTiming, script: ReadonlyArray<ScriptCommand>): number =>
  script.reduce((n, s) => n + seExchangeUs(timing, s.command.length, s.responseBytes, s.writes), 0)

/** The step's bearer time: uniform in [min, max] by a hash of (seed, user, generation, step). */
const bearerUsOf = (d: OtaDelivery, draw: IssuanceOtaRequest["draw"], stepIndex: number): number => {
  const u = mix3(draw[0], draw[1], draw[2] * 4 + stepIndex + 0x07a0) / TWO_32
  return Math.round(d.timeUsMin + u * (d.timeUsMax - d.timeUsMin))
}

/**
 * Plans both steps' deliveries; `onDelivery` sees each step's delivery in order (the digest folds
 * its packets, a trace its frames). An error names what the planner refused (a programmer error in the pilot: every SE type
 * here has a bearer that reaches it).
 */
export const planIssuanceOta = (
  crypto: Crypto,
  r: IssuanceOtaRequest,
  onDelivery: (step: IssuanceOtaStep, delivery: OtaDelivery, time: OtaStepTime) => void,
): { ok: true; value: IssuanceOta } | { ok: false; error: string } => {
  const bearer = otaBearerOf(r.seType, r.telco)
  let lastCounter = 0
  let packets = 0
  let packetBytes = 0
  let bearerBytes = 0
  const steps = {} as Record<IssuanceOtaStep, OtaStepTime>
  for (const [i, step] of ISSUANCE_OTA_STEPS.entries()) {
    const script = r.scripts[step]
    const commands = script.map((s) => s.command)
    const roundEnds = hostPredictsChallenge(r.scp)
      ? []
      : commands.flatMap((c, k) => (isInitializeUpdate(c) ? [k + 1] : []))
    const planned = planOtaDelivery(crypto, {
      seType: SERAM_SE_TYPE[r.seType],
      bearer,
      script: commands,
      ota: { keys: r.keys, spi: PILOT_SPI, tar: step === "create-ssd" ? ISD_TAR : SSD_TAR, lastCounter },
      http: { agent: agentOf(r.draw[1], r.draw[2]), targetAid: BANK_SSD_AID, roundEnds },
    })
    if (!planned.ok) return { ok: false, error: `${step} over ${bearer}: ${planned.error}` }
    const d = planned.value
    lastCounter = d.lastCounter
    packets += d.packets.length
    packetBytes += d.packets.reduce((n, p) => n + p.length, 0)
    bearerBytes += d.bearerBytes
    steps[step] = {
      bearerUs: bearerUsOf(d, r.draw, i),
      seUs: stepSeUs(r.timing, script),
      bearerUsMean: (d.timeUsMin + d.timeUsMax) / 2,
    }
    onDelivery(step, d, steps[step])
  }
  return { ok: true, value: { bearer, steps, packets, packetBytes, bearerBytes } }
}

/**
 * The SE cells of the population's adopters with their shares: the SE type weights over the types
 * the pilot supports (adoption.ts takes adopters from those), an NFC-SIM split by telco weights.
 */
export const seCellShares = (
  p: PopulationParams,
): ReadonlyArray<{ readonly seType: SeType; readonly telco: TelcoId; readonly share: number }> => {
  const se = p.handsets.seTypeWeightsPermille
  const types = SE_TYPES.filter((t) => p.handsets.supportedSeTypes.includes(t))
  const total = types.reduce((n, t) => n + se[t], 0)
  return types.flatMap(
    (seType): Array<{ seType: SeType; telco: TelcoId; share: number }> =>
      seType === "NFC-SIM"
        ? TELCO_IDS.map((telco) => ({
            seType,
            telco,
            share: (se[seType] * p.market.telcoWeightsPermille[telco]) / 1000 / total,
          }))
        : [{ seType, telco: "cmcc" as TelcoId, share: se[seType] / total }],
  )
}

/** A step's time on a bearer slowed to `latencyPermille` (1000 = nominal), µs. */
export const stepUs = (t: OtaStepTime, latencyPermille: number): number =>
  Math.round((t.bearerUs * latencyPermille) / 1000) + t.seUs

/** Both steps' time at nominal bearer speed. */
export const issuanceUs = (o: IssuanceOta): number =>
  ISSUANCE_OTA_STEPS.reduce((n, s) => n + stepUs(o.steps[s], 1000), 0)

/** GET RESPONSE (ISO 7816-4 §7.6.1): the T=0 link's chunking, not part of a remote script. */
const isGetResponse = (c: Uint8Array): boolean => c[0] === 0x00 && c[1] === 0xc0

/**
 * Collects a card story's commands into the two steps' scripts as the card processes them: the
 * story tells each step before it runs (`onStep`), the card each exchange (`exchange`).
 */
export class OtaScripts {
  readonly scripts: Record<IssuanceOtaStep, ScriptCommand[]> = { "create-ssd": [], personalize: [] }
  /** Exchanges the card made (GET RESPONSE included), and its own time so far (traces' clock). */
  exchanges = 0
  seUs = 0
  private step: IssuanceOtaStep = "create-ssd"

  constructor(private readonly timing: SeTiming) {}

  readonly onStep = (s: { readonly actor: "ISD" | "SSD" | "terminal" }): void => {
    this.step = s.actor === "ISD" ? "create-ssd" : "personalize"
  }

  exchange(command: Uint8Array, response: Uint8Array, writes: number): void {
    this.exchanges++
    this.seUs += seExchangeUs(this.timing, command.length, response.length, writes)
    if (isGetResponse(command)) {
      // The chunk belongs to the command before it: its answer comes back whole in a remote script.
      const list = this.scripts[this.step]
      const last = list[list.length - 1]
      if (last !== undefined)
        list[list.length - 1] = { ...last, responseBytes: last.responseBytes + response.length - 2 }
      return
    }
    this.scripts[this.step].push({ command: command.slice(), responseBytes: response.length, writes })
  }
}

/** A card's OTA plan request: who and what, and where its packets go (byte-level-cards.ts `prepare`). */
export interface CardOtaRequest {
  readonly keySeed: string
  readonly draw: readonly [number, number, number]
  readonly who: UserRoute
  readonly scripts: OtaScripts
  /** Civil time of the first step's start, µs (a trace's clock). */
  readonly civilUs: number
  /** Each packet's bytes, in order (the digest's OTA records). */
  readonly packet: (bytes: Uint8Array) => void
  /** A traced card's deliveries (its OTA pcap), or null. */
  readonly trace: ((user: number, delivery: OtaTraceDelivery) => void) | null
  readonly tally: {
    otaPackets: number
    otaBytes: number
    otaBearerBytes: number
    readonly otaByBearer: Record<OtaBearerName, number>
  }
}

/** Plans a card's both steps on its bearer: the packets go to `packet` and `trace`, counts to `tally`. */
export const planCardOta = (crypto: Crypto, r: CardOtaRequest) => {
  const [, user, generation] = r.draw
  let civilUs = r.civilUs
  const planned = planIssuanceOta(
    crypto,
    {
      seType: r.who.seType,
      telco: r.who.telco,
      scp: CARD_PROFILES[r.who.seType].scp,
      timing: SE_TIMING[r.who.seType],
      scripts: r.scripts.scripts,
      keys: otaKeysOf(crypto, r.keySeed, user, generation),
      draw: r.draw,
    },
    (_step, delivery, time) => {
      for (const p of delivery.packets) r.packet(p)
      r.trace?.(user, {
        bearer: delivery.bearer,
        frames: delivery.frames,
        startUs: civilUs,
        spanUs: time.bearerUs,
      })
      civilUs += time.bearerUs + time.seUs
    },
  )
  if (planned.ok) {
    r.tally.otaPackets += planned.value.packets
    r.tally.otaBytes += planned.value.packetBytes
    r.tally.otaBearerBytes += planned.value.bearerBytes
    r.tally.otaByBearer[planned.value.bearer]++
  }
  return planned
}
