/**
 * The card side of the application cryptogram: derives the AC session key for the transaction's
 * ATC (the profile's method: PBOC process key or EMV common session key) and computes an ARQC, TC or AAC with the card's algorithm profile, returning the data
 * objects the card answers with (9F27 CID, 9F36 ATC, 9F26 AC, 9F10 IAD).
 */
import type { Crypto } from "../../../crypto/crypto.ts"
import { type Tlv, tlv } from "../../../tlv/ber-tlv.ts"
import { type AlgorithmProfile, profileByCode } from "./algorithm-profile.ts"
import { cryptogramInput, cvr, issuerApplicationData } from "./cryptogram-input.ts"
import { CID, TAG } from "./pboc-constants.ts"
import { field, IMAGE, KEY_BYTES, SCRIPT_COUNT_MASK, SCRIPT_FAILED } from "./pboc-image.ts"
import type { AcKind, PbocSession } from "./pboc-session.ts"

/** The profile the image names; personalization refused unknown codes, so absence is a bug. */
export const imageProfile = (image: Uint8Array): AlgorithmProfile => {
  const profile = profileByCode(image[IMAGE.profile]!)
  if (profile === undefined) throw new Error(`PBOC image names unknown profile ${image[IMAGE.profile]}`)
  return profile
}

export interface Cryptogram {
  readonly ac: Uint8Array
  readonly iad: Uint8Array
  readonly cid: number
  /** The objects of a format-2 (tag 77) response. */
  readonly objects: ReadonlyArray<Tlv>
}

/**
 * Computes the cryptogram of `kind` for the session's transaction. The session key is kept in the
 * session because the ARPC check (method 1) uses it.
 */
export const generateCryptogram = (
  crypto: Crypto,
  image: Uint8Array,
  session: PbocSession,
  kind: AcKind,
  cdol2Data: Uint8Array = new Uint8Array(0),
): Cryptogram => {
  if (session.atc < 0) throw new Error("cryptogram requested before GET PROCESSING OPTIONS")
  const profile = imageProfile(image)
  const sk = session.skAc ?? profile.acSessionKey(crypto, field(image, IMAGE.mkAc, KEY_BYTES), session.atc)
  session.skAc = sk
  const second = session.gacCount === 1
  const cvrBytes = cvr({
    firstAc: second ? (session.firstAc ?? "arqc") : kind,
    secondAc: second ? (kind === "arqc" ? "aac" : kind) : "none",
    issuerAuth: session.issuerAuth,
    scriptCount: image[IMAGE.scriptCount]! & SCRIPT_COUNT_MASK,
    scriptFailed: (image[IMAGE.scriptCount]! & SCRIPT_FAILED) !== 0,
    velocityExceeded: session.velocityExceeded,
  })
  const input = cryptogramInput(
    session.terminal,
    field(image, IMAGE.aip, 2),
    session.atc,
    cvrBytes,
    cdol2Data,
  )
  const ac = profile.applicationCryptogram(crypto, sk, input, 2)
  const iad = issuerApplicationData(image[IMAGE.dki]!, profile.cvn, cvrBytes)
  const cid = CID[kind]
  const objects = [
    tlv(TAG.cid, new Uint8Array([cid])),
    tlv(TAG.atc, new Uint8Array([session.atc >> 8, session.atc & 0xff])),
    tlv(TAG.ac, ac),
    tlv(TAG.iad, iad),
  ]
  return { ac, iad, cid, objects }
}
