/**
 * The pilot's hook into the OTA bearers: `planOtaDelivery` turns one GP script (the C-APDUs a
 * security domain's channel already wrapped) into what the chosen bearer carries, as bytes, and the
 * bearer time those bytes take in the model of model/parties/ota/ota-bearer.ts. It is a pure
 * function of its request (and the Crypto it is given): no clock, no stream, no state kept — the
 * OTA counter the platform continues from goes in and the last one used comes out.
 *
 * - `sms-pp` (NFC-SIM only): TS 102 225 command packets in the SMS dialect of TS 31.115, grouped so
 *   that each fits one SMS where it can, concatenated SMS otherwise (ota-packing.ts,
 *   sms-concatenation.ts). Time: the first SMS's delivery, then the SMSC's time per further SMS;
 *   PoRs return in the SMS-DELIVER-REPORTs.
 * - `bip` (NFC-SIM only): the same packets, up to `bipPacketBytesMax` each, as CAT-TP SDUs over a
 *   BIP channel (cat-tp.ts). Time: one round trip for the CAT-TP handshake and one per packet and
 *   its PoR.
 * - `http-admin` (every SE type; the only way to an NFC-SD or an eSE, whose admin agent runs in the
 *   handset): GP Amendment B, the script as one `200 OK` body over TLS-PSK (http-admin.ts) — or
 *   several, cut where the server needs the card's answers first (`roundEnds`). Time: two round
 *   trips of TLS handshake, one per script part, one for the last responses and the `204`.
 *
 * Uplink sizes count each command's answer as its bare status word (2 bytes): a lower bound, since
 * the R-APDUs are known only once a card ran the script.
 */
import { err, ok, type Result } from "../bytes/result.ts"
import type { Crypto } from "../crypto/crypto.ts"
import { OTA_BEARERS, type OtaBearerName } from "../parties/ota/ota-bearer.ts"
import type { SeType } from "../parties/ota/seram.ts"
import { catTpTransfer } from "./cat-tp.ts"
import {
  type AdminAgent,
  adminRequest,
  adminResponse,
  responseBody,
  scriptBody,
  TLS_PSK_HANDSHAKE_BYTES,
  TLS_PSK_HANDSHAKE_ROUND_TRIPS,
  tlsRecordBytes,
} from "./http-admin.ts"
import { packForBip, packForSms } from "./ota-packing.ts"
import { OtaPlatform } from "./ota-platform.ts"
import { PorStatus, type Spi } from "./ota-security.ts"
import { encodeResponseScript } from "./remote-script.ts"
import { encodeResponsePacket, type OtaKeys } from "./secured-packet.ts"
import { segmentCommandPacket } from "./sms-concatenation.ts"

export interface OtaDeliveryRequest {
  readonly seType: SeType
  readonly bearer: OtaBearerName
  /** The script's C-APDUs as bytes, in order. */
  readonly script: ReadonlyArray<Uint8Array>
  /** SMS-PP and BIP: the TS 102 225 key set, SPI, TAR and the last counter the platform used. */
  readonly ota?: {
    readonly keys: OtaKeys
    readonly spi: Spi
    readonly tar: Uint8Array
    readonly lastCounter: number
  }
  /**
   * HTTP admin: the agent and the AID the script targets; `roundEnds`, the script indices after
   * which the server must read the card's answers before it can build the rest (an INITIALIZE
   * UPDATE on a card whose challenge the server cannot compute: SCP02 without i bit b7, GP 2.2
   * Annex E.1.1), each a further POST / 200 exchange on the same TLS session (Amendment B §3.2).
   */
  readonly http?: {
    readonly agent: AdminAgent
    readonly targetAid: Uint8Array
    readonly roundEnds?: ReadonlyArray<number>
  }
  /** BIP: the largest command packet, and the UICC's CAT-TP PDU size (its BIP buffer). */
  readonly bipPacketBytesMax?: number
  readonly catTpPduBytesMax?: number
}

export interface OtaDelivery {
  readonly bearer: OtaBearerName
  /** What goes down: secured command packets (SMS-PP, BIP) or HTTP messages (HTTP admin). */
  readonly packets: ReadonlyArray<Uint8Array>
  /** Messages on the bearer: SMS, CAT-TP PDUs, or HTTP messages (both ways). */
  readonly messages: number
  /** Bytes on the bearer both ways: SMS user data, CAT-TP PDUs, or TLS records and handshake. */
  readonly bearerBytes: number
  readonly roundTrips: number
  readonly timeUsMin: number
  readonly timeUsMax: number
  /** The last TS 102 225 counter used (the request's, unchanged, for HTTP admin). */
  readonly lastCounter: number
  /**
   * The bearer's messages in order, for traces: SMS-PP the SMS user data of each segment (down;
   * the PoRs ride in the DELIVER-REPORTs), BIP the CAT-TP PDUs both ways, HTTP admin the HTTP
   * messages both ways (in the clear: the TLS around them is counted, not run). `uplink`: from
   * the SE's side.
   */
  readonly frames: ReadonlyArray<OtaFrame>
}

export interface OtaFrame {
  readonly uplink: boolean
  readonly bytes: Uint8Array
}

export type OtaDeliveryError =
  | "bearer-unreachable"
  | "missing-ota-keys"
  | "missing-http-agent"
  | "empty-script"

/** Only a UICC's toolkit receives SMS-PP and opens BIP channels (TS 102 223). */
const reaches = (seType: SeType, bearer: OtaBearerName): boolean =>
  bearer === "http-admin" || seType === "uicc" || seType === "euicc"

/** The PoR a platform should expect for a packet of `apdus` commands, bare SWs (a lower bound). */
const porFor = (
  crypto: Crypto,
  ota: NonNullable<OtaDeliveryRequest["ota"]>,
  apdus: number,
  counter: number,
) =>
  encodeResponsePacket(crypto, ota.keys, ota.spi, {
    tar: ota.tar,
    counter,
    status: PorStatus.OK,
    data: encodeResponseScript(Array.from({ length: apdus }, () => Uint8Array.of(0x90, 0x00))),
  })

const roundTripsTime = (bearer: OtaBearerName, roundTrips: number) => ({
  timeUsMin: roundTrips * OTA_BEARERS[bearer].latencyUsMin,
  timeUsMax: roundTrips * OTA_BEARERS[bearer].latencyUsMax,
})

const viaSms = (
  crypto: Crypto,
  r: OtaDeliveryRequest,
  ota: NonNullable<OtaDeliveryRequest["ota"]>,
): OtaDelivery => {
  const platform = new OtaPlatform(crypto, ota.keys, ota.spi, ota.lastCounter)
  const packed = packForSms(platform, ota.tar, r.script)
  const bearer = OTA_BEARERS["sms-pp"]
  const segments = packed.packets.flatMap((p, i) => {
    const split = segmentCommandPacket(p, i)
    if (!split.ok) throw new RangeError("a packet of at most one APDU per SMS group outgrew 255 SMS")
    return split.value
  })
  const sms = segments.length
  const userData = segments.reduce((n, s) => n + s.length, 0)
  const porBytes = packed.groups.reduce(
    (n, g, i) => n + porFor(crypto, ota, g, ota.lastCounter + i + 1).length,
    0,
  )
  return {
    bearer: "sms-pp",
    packets: packed.packets,
    messages: sms,
    bearerBytes: userData + porBytes,
    roundTrips: packed.packets.length,
    timeUsMin: bearer.latencyUsMin + (sms - 1) * bearer.segmentUsMin,
    timeUsMax: bearer.latencyUsMax + (sms - 1) * bearer.segmentUsMax,
    lastCounter: ota.lastCounter + packed.packets.length,
    frames: segments.map((bytes) => ({ uplink: false, bytes })),
  }
}

const viaBip = (
  crypto: Crypto,
  r: OtaDeliveryRequest,
  ota: NonNullable<OtaDeliveryRequest["ota"]>,
): OtaDelivery => {
  const platform = new OtaPlatform(crypto, ota.keys, ota.spi, ota.lastCounter)
  const packed = packForBip(platform, ota.tar, r.script, r.bipPacketBytesMax ?? 1400)
  const pors = packed.groups.map((g, i) => porFor(crypto, ota, g, ota.lastCounter + i + 1))
  const transfer = catTpTransfer(packed.packets, pors, {
    maxPduBytes: r.catTpPduBytesMax ?? 1024,
    maxSduBytes: 4096,
    iccid: Uint8Array.of(0x98, 0x68, 0x00, 0x10, 0x21, 0x43, 0x65, 0x87, 0x09, 0xf1),
  })
  return {
    bearer: "bip",
    packets: packed.packets,
    messages: transfer.pdus.length,
    bearerBytes: transfer.pdus.reduce((n, p) => n + p.bytes.length, 0),
    roundTrips: transfer.roundTrips,
    ...roundTripsTime("bip", transfer.roundTrips),
    lastCounter: ota.lastCounter + packed.packets.length,
    frames: transfer.pdus.map((p) => ({ uplink: p.fromUicc, bytes: p.bytes })),
  }
}

/** The script cut after each of `ends` (ascending indices inside the script), non-empty parts. */
const roundsOf = (script: ReadonlyArray<Uint8Array>, ends: ReadonlyArray<number>): Uint8Array[][] => {
  const cuts = [...new Set(ends)].filter((e) => e > 0 && e < script.length).sort((a, b) => a - b)
  return [0, ...cuts].map((from, i) => script.slice(from, cuts[i] ?? script.length))
}

const viaHttp = (r: OtaDeliveryRequest, http: NonNullable<OtaDeliveryRequest["http"]>): OtaDelivery => {
  const { agent, targetAid } = http
  const rounds = roundsOf(r.script, http.roundEnds ?? [])
  const messages = [adminRequest(agent, agent.uri, null)]
  rounds.forEach((round, i) => {
    const uri = `${agent.uri}?step=${i + 2}`
    messages.push(adminResponse({ uri, targetAid, script: scriptBody(round) }))
    messages.push(adminRequest(agent, uri, responseBody(round.map(() => Uint8Array.of(0x90, 0x00)))))
  })
  messages.push(adminResponse(null))
  const roundTrips = TLS_PSK_HANDSHAKE_ROUND_TRIPS + rounds.length + 1
  return {
    bearer: "http-admin",
    packets: messages,
    messages: messages.length,
    bearerBytes: TLS_PSK_HANDSHAKE_BYTES + messages.reduce((n, m) => n + tlsRecordBytes(m.length), 0),
    roundTrips,
    ...roundTripsTime("http-admin", roundTrips),
    lastCounter: r.ota?.lastCounter ?? 0,
    // The agent's requests (even places) go up, the server's answers down.
    frames: messages.map((bytes, i) => ({ uplink: i % 2 === 0, bytes })),
  }
}

export const planOtaDelivery = (
  crypto: Crypto,
  r: OtaDeliveryRequest,
): Result<OtaDelivery, OtaDeliveryError> => {
  if (r.script.length === 0) return err("empty-script")
  if (!reaches(r.seType, r.bearer)) return err("bearer-unreachable")
  if (r.bearer === "http-admin")
    return r.http === undefined ? err("missing-http-agent") : ok(viaHttp(r, r.http))
  if (r.ota === undefined) return err("missing-ota-keys")
  return ok(r.bearer === "sms-pp" ? viaSms(crypto, r, r.ota) : viaBip(crypto, r, r.ota))
}
