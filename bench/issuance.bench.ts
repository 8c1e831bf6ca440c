/**
 * `npm run bench:issuance [users]`: runs scenario 02 (default 1,000 users) with native crypto and
 * prints card issuances (issue, reissue and SIM-swap orders done) per wall-clock second and the SM2
 * operations (sign, verify, encrypt, decrypt) per issuance, counted by wrapping the Crypto's SM2;
 * then one issuance's GP script as OTA traffic over SMS-PP, BIP (CAT-TP) and HTTP admin (packets,
 * messages, bytes, round trips, modelled bearer time, planning cost); then the pilot's byte-level
 * issuance over the air per SE cell (the user's bearer: BIP, SMS-PP, HTTP admin) and its mean over
 * the 04 population's adopters, with the background round-trip count that mean fits
 * (model/world/pilot/byte-level/ota-calibration.ts).
 * A figure printer, never a timed assertion.
 */
import { readFileSync } from "node:fs"
import { resolve } from "node:path"
import type { Crypto } from "../model/crypto/crypto.ts"
import { nativeCrypto } from "../model/crypto/native-crypto.ts"
import { runCardStory } from "../model/host/card-story/card-story.ts"
import { planOtaDelivery } from "../model/ota/ota-delivery.ts"
import { decodeSpi } from "../model/ota/ota-security.ts"
import { decodeIssuanceScenario } from "../model/world/issuance/issuance-scenario.ts"
import { runIssuance } from "../model/world/issuance/run-issuance.ts"
import { BACKGROUND_APDUS_PER_ISSUANCE } from "../model/world/pilot/byte-level/card-time.ts"
import { otaIssuanceFigures } from "../model/world/pilot/byte-level/ota-calibration.ts"
import { decodePilotScenario } from "../model/world/pilot/pilot-scenario.ts"

const counts = { sign: 0, verify: 0, encrypt: 0, decrypt: 0 }
const sm2 = nativeCrypto.sm2
const counted: Crypto = {
  ...nativeCrypto,
  sm2: {
    ...sm2,
    sign: (...a) => {
      counts.sign++
      return sm2.sign(...a)
    },
    verify: (...a) => {
      counts.verify++
      return sm2.verify(...a)
    },
    encrypt: (...a) => {
      counts.encrypt++
      return sm2.encrypt(...a)
    },
    decrypt: (...a) => {
      counts.decrypt++
      return sm2.decrypt(...a)
    },
  },
}

const decoded = decodeIssuanceScenario(
  JSON.parse(readFileSync(resolve(import.meta.dirname, "../scenarios/02-issuance-1000.json"), "utf8")),
)
if (!decoded.ok) throw new Error(decoded.message)
const users = Number(process.argv[2] ?? decoded.value.users)
const started = process.hrtime.bigint()
const run = runIssuance({ ...decoded.value, users }, decoded.value.seed, counted)
const wallS = Number(process.hrtime.bigint() - started) / 1e9
const issued =
  (run.driver.flows.get("reissue:done") ?? 0) +
  (run.driver.flows.get("sim-swap:done") ?? 0) +
  [...run.driver.flows]
    .filter(([k]) => k.startsWith("issue.") && k.endsWith(":done"))
    .reduce((n, [, v]) => n + v, 0)
const sm2Total = counts.sign + counts.verify + counts.encrypt + counts.decrypt
console.log(
  JSON.stringify({
    users,
    issuancesDone: issued,
    ordersTotal: [...run.driver.flows.values()].reduce((n, v) => n + v, 0),
    wallSeconds: Number(wallS.toFixed(2)),
    issuancesPerSecond: Number((issued / wallS).toFixed(1)),
    sm2: counts,
    sm2PerIssuance: Number((sm2Total / issued).toFixed(2)),
    note: "all orders (lock, close included) ran; SM2 counts cover the whole run divided by issuances",
  }),
)

// Per-issuance OTA figures: the GP management script of one card's issuance (every 80/84-class
// command of the card story: SSD creation, keys, the CAP load file, install, personalization,
// lock, delete) through planOtaDelivery (model/ota/ota-delivery.ts) on each bearer: TS 102 225
// packets (3DES, CC, ciphered) as SMS (concatenated where longer) or as CAT-TP PDUs over BIP, and
// GP Amendment B messages over TLS-PSK; sizes and the modelled bearer time.
const story = runCardStory({ seed: 1, crypto: nativeCrypto })
const script = story.exchanges.map((e) => e.command).filter((c) => (c[0]! & 0xf0) === 0x80)
const ota = {
  keys: {
    algorithm: "3DES" as const,
    index: 1,
    kic: new Uint8Array(16).fill(0x11),
    kid: new Uint8Array(16).fill(0x22),
  },
  spi: decodeSpi(0x16, 0x19),
  tar: new Uint8Array(3),
  lastCounter: 0,
}
const http = {
  agent: { uri: "/admin", host: "ota.example", from: "//se-id/eid/1;//aa-id/aid/A000000151/000000" },
  targetAid: new Uint8Array([0xa0, 0, 0, 1, 0x51, 0, 0, 0]),
}
const bearers = ["sms-pp", "bip", "http-admin"] as const
const rounds = 100
const figures = Object.fromEntries(
  bearers.map((bearer) => {
    const request = { seType: "uicc" as const, bearer, script, ota, http }
    const planned = planOtaDelivery(nativeCrypto, request)
    if (!planned.ok) throw new Error(`${bearer}: ${planned.error}`)
    const started = process.hrtime.bigint()
    for (let i = 0; i < rounds; i++) planOtaDelivery(nativeCrypto, request)
    const planUs = Number(process.hrtime.bigint() - started) / 1e3 / rounds
    const d = planned.value
    return [
      bearer,
      {
        packets: d.packets.length,
        packetBytes: d.packets.reduce((n, p) => n + p.length, 0),
        messages: d.messages,
        bearerBytes: d.bearerBytes,
        roundTrips: d.roundTrips,
        timeSecondsMin: d.timeUsMin / 1e6,
        timeSecondsMax: d.timeUsMax / 1e6,
        planUsPerIssuance: Number(planUs.toFixed(1)),
      },
    ]
  }),
)
console.log(
  JSON.stringify({
    otaPerIssuance: {
      scriptApdus: script.length,
      scriptBytes: script.reduce((n, c) => n + c.length, 0),
      ...figures,
      note: "messages: SMS (concatenated segments counted) / CAT-TP PDUs / HTTP messages; bearerBytes both ways (SMS user data + PoRs / CAT-TP PDUs / TLS records + PSK handshake); time: SMS = first SMS + SMSC time per further SMS, BIP = CAT-TP handshake + one round trip per packet, HTTP admin = 2 TLS round trips + script + responses (ota-bearer.ts latencies); uplink R-APDUs counted as bare SWs",
    },
  }),
)

// The pilot's byte-level issuance over the air (ota-issuance.ts): per SE cell, the expected time of
// an issuance (middle of each step's bearer range + SE time), its create-ssd share, packets and
// bytes; over the adopters' mix, the mean and the background round trips (mean 475 ms each) it fits.
const pilot = decodePilotScenario(
  JSON.parse(readFileSync(resolve(import.meta.dirname, "../scenarios/04-pilot-plan.json"), "utf8")),
)
if (!pilot.ok) throw new Error(pilot.message)
const fig = otaIssuanceFigures(nativeCrypto, pilot.population, 11, 8)
const rtt = pilot.value.capacity.telcoOta
const rttMeanUs = (rtt.apduRoundTripUsMin + rtt.apduRoundTripUsMax) / 2
console.log(
  JSON.stringify({
    pilotOtaIssuance: {
      cells: fig.cells.map((c) => ({
        se: c.seType === "NFC-SIM" ? `NFC-SIM/${c.telco}` : c.seType,
        bearer: c.bearer,
        share: Number(c.share.toFixed(3)),
        cards: c.cards,
        seconds: Number((c.meanUs / 1e6).toFixed(2)),
        createSsdShare: Number(c.createSsdShare.toFixed(3)),
        packets: Number(c.packets.toFixed(1)),
        packetBytes: Math.round(c.packetBytes),
      })),
      meanSeconds: Number((fig.meanUs / 1e6).toFixed(3)),
      createSsdShare: Number(fig.createSsdShare.toFixed(3)),
      backgroundRoundTripsFitted: Number((fig.meanUs / rttMeanUs).toFixed(2)),
      backgroundRoundTripsInUse: BACKGROUND_APDUS_PER_ISSUANCE,
      note: "seed 11, 8 cards per cell, expected time = middle of each step's bearer range + SE time; shares: SE type weights × telco weights of the 04 population",
    },
  }),
)
