// Proves signed envelopes end to end over the MTPS PKI: a sealed message is accepted once at its recipient, and every single flipped bit, replay, out-of-window send, wrong recipient, revoked or foreign certificate and forged MTPS message is rejected with its own verdict.
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import type { Crypto } from "../../../../model/crypto/crypto.ts"
import { nativeCrypto } from "../../../../model/crypto/native-crypto.ts"
import { referenceCrypto } from "../../../../model/crypto/reference-crypto.ts"
import { hashEntropy } from "../../../../model/host/pki/entropy.ts"
import { generateKeyPair } from "../../../../model/host/pki/sm2-key-pair.ts"
import { decodeEnvelope } from "../../../../model/parties/messages/envelope.ts"
import { EnvelopeSealer } from "../../../../model/parties/messages/envelope-sealer.ts"
import { EnvelopeVerifier } from "../../../../model/parties/messages/envelope-verifier.ts"
import type { Message } from "../../../../model/parties/messages/messages.ts"
import { PILOT_START_S, type PilotPki, pilotPki } from "../../host/pki/pki-fixture.ts"
import { message } from "./message-arbitraries.ts"

const NOW_US = PILOT_START_S * 1_000_000 + 3_600_000_000
const WINDOW_US = 300_000_000

const SSD_REQUEST: Message = {
  _tag: "SsdCreateRequest",
  attempt: 1,
  flow: "ota-issuance",
  seId: "4790510000000001",
  ssdAid: "A000000333534444",
  serviceProviderId: "gzt-tsm",
}

const sealerFor = (crypto: Crypto, pki: PilotPki, id: string, seed = "envelopes"): EnvelopeSealer =>
  new EnvelopeSealer({
    crypto,
    institutionId: id,
    key: pki.keys.get(id)!,
    certificateSerial: pki.ca.certificateOf(id)!.serial,
    entropy: hashEntropy(crypto, `${seed}/${id}`),
  })

const verifierFor = (crypto: Crypto, pki: PilotPki, id: string, replayEntriesMax?: number) =>
  new EnvelopeVerifier({
    crypto,
    institutionId: id,
    directory: pki.ca,
    windowUs: WINDOW_US,
    ...(replayEntriesMax === undefined ? {} : { replayEntriesMax }),
  })

describe("signed envelopes", () => {
  const pki = pilotPki(nativeCrypto, "envelope-test")

  it("accepts a sealed message at its recipient on both crypto layers, payload intact", () => {
    for (const crypto of [nativeCrypto, referenceCrypto]) {
      const bytes = sealerFor(crypto, pki, "gzt-tsm").seal("mtps", "ORD-1", SSD_REQUEST, NOW_US)
      const verdict = verifierFor(crypto, pki, "mtps").verify(bytes, NOW_US + 150_000)
      expect(verdict.verdict, crypto.name).toBe("accepted")
      if (verdict.verdict === "accepted") {
        expect(verdict.envelope).toMatchObject({ sender: "gzt-tsm", orderId: "ORD-1", sentAtUs: NOW_US })
        expect(verdict.envelope.payload).toEqual(SSD_REQUEST)
      }
    }
  })

  it("accepts arbitrary messages between arbitrary pilot institutions", () => {
    const ids = [...pki.keys.keys()]
    const sealers = new Map(ids.map((id) => [id, sealerFor(nativeCrypto, pki, id)]))
    const verifiers = new Map(ids.map((id) => [id, verifierFor(nativeCrypto, pki, id)]))
    let nowUs = NOW_US
    fc.assert(
      fc.property(message, fc.constantFrom(...ids), fc.constantFrom(...ids), (m, from, to) => {
        nowUs += 1000
        const verdict = verifiers.get(to)!.verify(sealers.get(from)!.seal(to, "ORD-P", m, nowUs), nowUs)
        expect(verdict).toMatchObject({ verdict: "accepted", envelope: { payload: m, sender: from } })
      }),
      { numRuns: 200 },
    )
  })

  it("rejects an envelope with any single flipped bit as forged or malformed", () => {
    const bytes = sealerFor(nativeCrypto, pki, "mtps").seal("cmcc-tsm", "ORD-FLIP", SSD_REQUEST, NOW_US)
    const serialOffset = 4 + 1 + "mtps".length + 1 + "cmcc-tsm".length
    const counts = new Map<string, number>()
    for (let bit = 0; bit < bytes.length * 8; bit++) {
      const flipped = bytes.slice()
      flipped[bit >> 3] = (flipped[bit >> 3] as number) ^ (0x80 >> (bit & 7))
      // A fresh verifier each time, so no verdict can come from replay memory.
      const verdict = verifierFor(nativeCrypto, pki, "cmcc-tsm").verify(flipped, NOW_US).verdict
      counts.set(verdict, (counts.get(verdict) ?? 0) + 1)
      // Only a flip inside the one-byte serial can name a serial the CA never issued.
      const inSerial = bit >> 3 === serialOffset + 1
      expect(inSerial ? ["forged", "malformed", "unknown-sender"] : ["forged", "malformed"]).toContain(
        verdict,
      )
    }
    expect(counts.get("forged")).toBeGreaterThan(bytes.length * 4)
  })

  it("rejects the same envelope twice as replayed", () => {
    const bytes = sealerFor(nativeCrypto, pki, "ccb-sp-tsm").seal("mtps", "ORD-R", SSD_REQUEST, NOW_US)
    const verifier = verifierFor(nativeCrypto, pki, "mtps")
    expect(verifier.verify(bytes, NOW_US).verdict).toBe("accepted")
    expect(verifier.verify(bytes, NOW_US + 10)).toMatchObject({ verdict: "replayed", orderId: "ORD-R" })
    expect(verifier.verify(bytes, NOW_US + WINDOW_US).verdict).toBe("replayed")
    // Once past the window the replay is still refused, now because it is too old.
    expect(verifier.verify(bytes, NOW_US + WINDOW_US + 1).verdict).toBe("expired")
  })

  it("rejects messages sent outside the window, in the past or the future", () => {
    const sealer = sealerFor(nativeCrypto, pki, "unionpay-tsm")
    const verifier = verifierFor(nativeCrypto, pki, "mtps")
    const old = sealer.seal("mtps", "ORD-OLD", SSD_REQUEST, NOW_US - WINDOW_US - 1)
    expect(verifier.verify(old, NOW_US)).toMatchObject({ verdict: "expired", sender: "unionpay-tsm" })
    const future = sealer.seal("mtps", "ORD-FUT", SSD_REQUEST, NOW_US + WINDOW_US + 1)
    expect(verifier.verify(future, NOW_US).verdict).toBe("expired")
    const edge = sealer.seal("mtps", "ORD-EDGE", SSD_REQUEST, NOW_US - WINDOW_US)
    expect(verifier.verify(edge, NOW_US).verdict).toBe("accepted")
  })

  it("rejects a message signed for another institution", () => {
    const bytes = sealerFor(nativeCrypto, pki, "gzt-tsm").seal("cucc-tsm", "ORD-W", SSD_REQUEST, NOW_US)
    expect(verifierFor(nativeCrypto, pki, "ctc-tsm").verify(bytes, NOW_US).verdict).toBe("wrong-recipient")
  })

  it("rejects forged MTPS messages: another institution's key, an uncertified key, a foreign CA", () => {
    const verifier = verifierFor(nativeCrypto, pki, "gzt-tsm")
    const mtpsSerial = pki.ca.certificateOf("mtps")!.serial
    const impostors = [
      // A certified institution signs with its own key and serial but claims to be MTPS.
      { key: pki.keys.get("cmcc-tsm")!, serial: pki.ca.certificateOf("cmcc-tsm")!.serial },
      // An uncertified key names MTPS's real certificate.
      { key: generateKeyPair(nativeCrypto, hashEntropy(nativeCrypto, "attacker"), "k"), serial: mtpsSerial },
      // MTPS's key under a foreign CA (same names, same serial numbering) is not MTPS's key here.
      { key: pilotPki(nativeCrypto, "foreign").keys.get("mtps")!, serial: mtpsSerial },
    ]
    for (const [i, impostor] of impostors.entries()) {
      const sealer = new EnvelopeSealer({
        crypto: nativeCrypto,
        institutionId: "mtps",
        key: impostor.key,
        certificateSerial: impostor.serial,
        entropy: hashEntropy(nativeCrypto, `impostor-${i}`),
      })
      const verdict = verifier.verify(sealer.seal("gzt-tsm", `ORD-F${i}`, SSD_REQUEST, NOW_US), NOW_US)
      expect(verdict, `impostor ${i}`).toMatchObject({ verdict: "forged", sender: "mtps" })
    }
  })

  it("rejects a revoked sender, an unknown serial and a certificate outside its validity", () => {
    const local = pilotPki(nativeCrypto, "revocation-envelopes")
    const sealer = sealerFor(nativeCrypto, local, "icbc-sp-tsm")
    const verifier = verifierFor(nativeCrypto, local, "mtps")
    local.ca.revoke(local.ca.certificateOf("icbc-sp-tsm")!.serial, PILOT_START_S + 100)
    expect(verifier.verify(sealer.seal("mtps", "ORD-REV", SSD_REQUEST, NOW_US), NOW_US).verdict).toBe(
      "revoked",
    )
    const unknown = new EnvelopeSealer({
      crypto: nativeCrypto,
      institutionId: "icbc-sp-tsm",
      key: local.keys.get("icbc-sp-tsm")!,
      certificateSerial: 4242n,
      entropy: hashEntropy(nativeCrypto, "unknown"),
    })
    expect(verifier.verify(unknown.seal("mtps", "ORD-U", SSD_REQUEST, NOW_US), NOW_US).verdict).toBe(
      "unknown-sender",
    )
    const early = (PILOT_START_S - 10) * 1_000_000
    const beforeValidity = sealerFor(nativeCrypto, local, "ccb-sp-tsm").seal(
      "mtps",
      "ORD-E",
      SSD_REQUEST,
      early,
    )
    expect(verifier.verify(beforeValidity, early).verdict).toBe("certificate-expired")
  })

  it("forgets nonces after twice the window and refuses work beyond its replay memory", () => {
    const sealer = sealerFor(nativeCrypto, pki, "gzt-tsm", "memory")
    const verifier = verifierFor(nativeCrypto, pki, "mtps", 3)
    for (let i = 0; i < 3; i++) {
      expect(verifier.verify(sealer.seal("mtps", `ORD-M${i}`, SSD_REQUEST, NOW_US), NOW_US).verdict).toBe(
        "accepted",
      )
    }
    expect(verifier.verify(sealer.seal("mtps", "ORD-M3", SSD_REQUEST, NOW_US), NOW_US).verdict).toBe(
      "overloaded",
    )
    const later = NOW_US + 2 * WINDOW_US + 1
    expect(verifier.verify(sealer.seal("mtps", "ORD-M4", SSD_REQUEST, later), later).verdict).toBe("accepted")
  })

  it("is deterministic: the same entropy seals byte-identical envelopes on both layers", () => {
    const a = sealerFor(nativeCrypto, pki, "gzt-tsm", "det").seal("mtps", "ORD-D", SSD_REQUEST, NOW_US)
    const b = sealerFor(referenceCrypto, pki, "gzt-tsm", "det").seal("mtps", "ORD-D", SSD_REQUEST, NOW_US)
    expect(b).toEqual(a)
    const c = sealerFor(nativeCrypto, pki, "gzt-tsm", "other").seal("mtps", "ORD-D", SSD_REQUEST, NOW_US)
    expect(c).not.toEqual(a)
    expect(decodeEnvelope(a).ok).toBe(true)
  })

  it("never throws on random bytes or truncations", () => {
    const bytes = sealerFor(nativeCrypto, pki, "gzt-tsm").seal("mtps", "ORD-T", SSD_REQUEST, NOW_US)
    const verifier = verifierFor(nativeCrypto, pki, "mtps")
    fc.assert(
      fc.property(fc.nat({ max: bytes.length - 1 }), fc.uint8Array({ maxLength: 200 }), (cut, noise) => {
        expect(verifier.verify(bytes.subarray(0, cut), NOW_US).verdict).toBe("malformed")
        expect(verifier.verify(noise, NOW_US).verdict).toBe("malformed")
      }),
      { numRuns: 500 },
    )
  })
})
