/**
 * The ICC private key for fDDA inside the applet image, as two internal records under SFI 0
 * (which READ RECORD never returns): record 1 = algorithm 01 ‖ part length L ‖ p ‖ q, record 2 =
 * dp ‖ dq ‖ qInv (RSA CRT), or record 1 = 04 ‖ the SM2 scalar. They arrive as DGIs 8101 and 8102
 * (pboc-constants.ts), split so that each fits one short STORE DATA with secure messaging. The
 * modulus is p·q, recomputed when signing rather than stored.
 */
import { bigintToBytes, bytesToBigint } from "../../../bytes/bytes.ts"
import type { RsaPrivateKey } from "../../../crypto/rsa.ts"
import { findRecord } from "./pboc-image.ts"
import { ODA_ALGORITHM } from "./pboc-oda.ts"

export const ICC_KEY_SFI = 0
const SM2_KEY_BYTES = 32
/** CRT parts of 32..64 bytes: ICC moduli of 512..1024 bits. */
const CRT_PART_BYTES_MIN = 32
const CRT_PART_BYTES_MAX = 64

const zeroTail = (plain: Uint8Array, length: number): boolean =>
  plain.length >= length && plain.subarray(length).every((b) => b === 0)

/** DGI 8101's record (algorithm, [L,] p q or the scalar), or undefined when malformed. */
export const keyRecord1 = (plain: Uint8Array): Uint8Array | undefined => {
  if (plain[0] === ODA_ALGORITHM.sm2)
    return zeroTail(plain, 1 + SM2_KEY_BYTES) ? plain.slice(0, 1 + SM2_KEY_BYTES) : undefined
  const part = plain[1] ?? 0
  if (plain[0] !== ODA_ALGORITHM.rsa || part < CRT_PART_BYTES_MIN || part > CRT_PART_BYTES_MAX)
    return undefined
  return zeroTail(plain, 2 + 2 * part) ? plain.slice(0, 2 + 2 * part) : undefined
}

/** DGI 8102's record (dp dq qInv), given record 1 of an RSA key; undefined when malformed. */
export const keyRecord2 = (record1: Uint8Array | undefined, plain: Uint8Array): Uint8Array | undefined => {
  if (record1?.[0] !== ODA_ALGORITHM.rsa) return undefined
  const length = 3 * record1[1]!
  return zeroTail(plain, length) ? plain.slice(0, length) : undefined
}

export type IccPrivateKey =
  | { readonly algorithm: "rsa"; readonly key: RsaPrivateKey }
  | { readonly algorithm: "sm2"; readonly scalar: Uint8Array }

export const iccPrivateKey = (image: Uint8Array): IccPrivateKey | undefined => {
  const record1 = findRecord(image, ICC_KEY_SFI, 1)
  if (record1 === undefined) return undefined
  if (record1[0] === ODA_ALGORITHM.sm2) return { algorithm: "sm2", scalar: record1.slice(1) }
  const record2 = findRecord(image, ICC_KEY_SFI, 2)
  if (record2 === undefined) return undefined
  const part = record1[1]!
  const p = record1.slice(2, 2 + part)
  const q = record1.slice(2 + part, 2 + 2 * part)
  return {
    algorithm: "rsa",
    key: {
      modulus: bigintToBytes(bytesToBigint(p) * bytesToBigint(q), 2 * part),
      exponent: new Uint8Array([0x03]),
      p,
      q,
      dp: record2.slice(0, part),
      dq: record2.slice(part, 2 * part),
      qInv: record2.slice(2 * part, 3 * part),
    },
  }
}
