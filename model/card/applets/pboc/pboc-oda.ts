/**
 * The card side of fDDA, qPBOC's fast dynamic data authentication: the signed dynamic application
 * data 9F4B the card returns in its GPO response, with an RSA or an SM2 ICC private key.
 *
 * - RSA: EMV 4.3 Book 2 §6.5.1 Table 17: 6A ‖ 05 ‖ hash algorithm 01 ‖ LDD ‖ ICC dynamic data ‖
 *   BB padding ‖ SHA-1 ‖ BC, as long as the ICC modulus, signed with the raw private operation;
 *   the hash covers 05 … padding ‖ terminal dynamic data (Book 2 §6.5.1, step 8 of §6.5.2).
 * - SM2: PBOC 3.0's SM-algorithm signed data as the twin reads it (JR/T 0025.17 is not public;
 *   PROTOCOLS.md §5): 15 ‖ LDD ‖ ICC dynamic data ‖ SM2 signature r ‖ s (64 bytes) over
 *   15 ‖ LDD ‖ ICC dynamic data ‖ terminal dynamic data, with ZA from the default ID
 *   1234567812345678 and the ICC public key.
 *
 * Twin choices, documented because EMV leaves them to the card: the ICC dynamic number (Book 2
 * Table 18) is the application cryptogram of this GPO, so the signature also binds the cryptogram;
 * the terminal dynamic data are UN 9F37 ‖ amount 9F02 ‖ currency 5F2A (the fixed fDDA list of
 * the VCPS-derived qPBOC kernels, not a DDOL).
 */
import { bigintToBytes, bytesToBigint, concat } from "../../../bytes/bytes.ts"
import type { Crypto } from "../../../crypto/crypto.ts"
import { type RsaPrivateKey, rsaPrivate } from "../../../crypto/rsa.ts"
import { sha1 } from "../../../crypto/sha1.ts"
import { SM2P256V1 } from "../../../crypto/sm2/curve.ts"
import { SM2_DEFAULT_USER_ID } from "../../../crypto/sm2/sm2.ts"
import { TAG } from "./pboc-constants.ts"

/** Book 2 Annex A2.1 / PBOC SM: algorithm indicators in certificates and the card image. */
export const ODA_ALGORITHM = { rsa: 0x01, sm2: 0x04 } as const
export type OdaAlgorithm = keyof typeof ODA_ALGORITHM

export const SDAD_FORMAT_RSA = 0x05
export const SDAD_FORMAT_SM2 = 0x15
export const HASH_SHA1 = 0x01
const SHA1_BYTES = 20

/** The fDDA terminal dynamic data: UN ‖ amount authorised ‖ transaction currency. */
export const TERMINAL_DYNAMIC_TAGS: ReadonlyArray<readonly [number, number]> = [
  [TAG.un, 4],
  [TAG.amount, 6],
  [TAG.currency, 2],
]

export const terminalDynamicData = (terminal: ReadonlyMap<number, Uint8Array>): Uint8Array =>
  concat(
    ...TERMINAL_DYNAMIC_TAGS.map(([tag, length]) => {
      const out = new Uint8Array(length)
      out.set((terminal.get(tag) ?? new Uint8Array(0)).subarray(0, length))
      return out
    }),
  )

/** ICC dynamic data: length of the ICC dynamic number ‖ the number (here the GPO's AC). */
export const iccDynamicData = (ac: Uint8Array): Uint8Array => concat(new Uint8Array([ac.length]), ac)

/** Table 17 without the hash and trailer: 6A 05 01 LDD data BB…, and where the hash goes. */
export const rsaSdadBody = (modulusBytes: number, dynamicData: Uint8Array): Uint8Array | null => {
  const padding = modulusBytes - dynamicData.length - 25
  if (padding < 0) return null
  const body = new Uint8Array(modulusBytes - SHA1_BYTES - 1)
  body.set([0x6a, SDAD_FORMAT_RSA, HASH_SHA1, dynamicData.length])
  body.set(dynamicData, 4)
  body.fill(0xbb, 4 + dynamicData.length)
  return body
}

export const signSdadRsa = (
  key: RsaPrivateKey,
  dynamicData: Uint8Array,
  terminalData: Uint8Array,
): Uint8Array => {
  const body = rsaSdadBody(key.modulus.length, dynamicData)
  if (body === null) throw new RangeError("ICC dynamic data too long for the ICC modulus")
  const hash = sha1(concat(body.subarray(1), terminalData))
  return rsaPrivate(key, concat(body, hash, new Uint8Array([0xbc])))
}

/** The SM2 signed data without its signature: 15 ‖ LDD ‖ ICC dynamic data. */
export const sm2SdadBody = (dynamicData: Uint8Array): Uint8Array =>
  concat(new Uint8Array([SDAD_FORMAT_SM2, dynamicData.length]), dynamicData)

/**
 * A card has no random source of its own in the twin, so the ephemeral k comes from SM3 over the
 * private key, the message and a counter (the idea of RFC 6979, with SM3): a different message
 * always gets a different k, and the same one the same signature.
 */
export const signSm2Deterministic = (
  crypto: Crypto,
  privateKey: Uint8Array,
  message: Uint8Array,
): Uint8Array => {
  const n = SM2P256V1.n
  const d = bytesToBigint(privateKey)
  for (let counter = 0; counter < 8; counter++) {
    const k =
      (bytesToBigint(crypto.sm3(concat(privateKey, message, new Uint8Array([counter])))) % (n - 1n)) + 1n
    const signature = crypto.sm2.sign(SM2P256V1, d, SM2_DEFAULT_USER_ID, message, k)
    if (signature !== null) return concat(bigintToBytes(signature.r, 32), bigintToBytes(signature.s, 32))
  }
  throw new Error("SM2 signing failed 8 times in a row: a bug, not bad luck")
}

export const signSdadSm2 = (
  crypto: Crypto,
  privateKey: Uint8Array,
  dynamicData: Uint8Array,
  terminalData: Uint8Array,
): Uint8Array => {
  const body = sm2SdadBody(dynamicData)
  return concat(body, signSm2Deterministic(crypto, privateKey, concat(body, terminalData)))
}
