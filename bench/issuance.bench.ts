/**
 * `npm run bench:issuance [users]`: runs scenario 02 (default 1,000 users) with native crypto and
 * prints card issuances (issue, reissue and SIM-swap orders done) per wall-clock second and the SM2
 * operations (sign, verify, encrypt, decrypt) per issuance, counted by wrapping the Crypto's SM2;
 * then one issuance's GP script as OTA packets over SMS-PP and BIP (sizes, SMS count, delivery
 * ranges, packing cost).
 * A figure printer, never a timed assertion.
 */
import { readFileSync } from "node:fs"
import { resolve } from "node:path"
import type { Crypto } from "../model/crypto/crypto.ts"
import { nativeCrypto } from "../model/crypto/native-crypto.ts"
import { runCardStory } from "../model/host/card-story/card-story.ts"
import { packForBip, packForSms } from "../model/ota/ota-packing.ts"
import { OtaPlatform } from "../model/ota/ota-platform.ts"
import { decodeSpi } from "../model/ota/ota-security.ts"
import { OTA_BEARERS } from "../model/parties/ota/ota-bearer.ts"
import { decodeIssuanceScenario } from "../model/world/issuance/issuance-scenario.ts"
import { runIssuance } from "../model/world/issuance/run-issuance.ts"

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
// command of the card story: SSD creation, keys, install, personalization, lock, delete) wrapped
// into TS 102 225 packets (3DES, CC, ciphered), for SMS-PP (one SMS per packet) and for BIP (one
// packet up to 1,400 bytes), with the bearer delivery ranges of model/parties/ota/ota-bearer.ts.
const story = runCardStory({ seed: 1, crypto: nativeCrypto })
const script = story.exchanges.map((e) => e.command).filter((c) => (c[0]! & 0xf0) === 0x80)
const otaKeys = {
  algorithm: "3DES" as const,
  index: 1,
  kic: new Uint8Array(16).fill(0x11),
  kid: new Uint8Array(16).fill(0x22),
}
const platform = new OtaPlatform(nativeCrypto, otaKeys, decodeSpi(0x16, 0x19))
const tar = new Uint8Array(3)
const rounds = 200
const packStarted = process.hrtime.bigint()
for (let i = 0; i < rounds; i++) packForSms(platform, tar, script)
const packUs = Number(process.hrtime.bigint() - packStarted) / 1e3 / rounds
const sms = packForSms(platform, tar, script)
const bip = packForBip(platform, tar, script)
const smsBearer = OTA_BEARERS["sms-pp"]
const bipBearer = OTA_BEARERS.bip
console.log(
  JSON.stringify({
    otaPerIssuance: {
      scriptApdus: script.length,
      scriptBytes: script.reduce((n, c) => n + c.length, 0),
      smsPp: {
        packets: sms.packets.length,
        sms: sms.messages,
        packetBytes: sms.bytes,
        deliverySecondsMin: (smsBearer.latencyUsMin + (sms.messages - 1) * smsBearer.segmentUsMin) / 1e6,
        deliverySecondsMax: (smsBearer.latencyUsMax + (sms.messages - 1) * smsBearer.segmentUsMax) / 1e6,
      },
      bip: {
        packets: bip.packets.length,
        packetBytes: bip.bytes,
        deliverySecondsMin: (bip.packets.length * bipBearer.latencyUsMin) / 1e6,
        deliverySecondsMax: (bip.packets.length * bipBearer.latencyUsMax) / 1e6,
      },
      smsPackingUsPerIssuance: Number(packUs.toFixed(1)),
      note: "SMS delivery = first SMS latency + the SMSC's per-segment time for each further SMS (ota-bearer.ts); BIP = one round trip per packet; over-long APDUs counted as concatenated SMS",
    },
  }),
)
