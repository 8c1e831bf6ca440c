/**
 * The ICC private key for fDDA inside the applet image: the internal record SFI 0 / 1 holding
 * algorithm 01 ‖ part length L ‖ RSA CRT p q dp dq qInv (five parts of L bytes) or 04 ‖ the SM2
 * scalar (DGI 8101, pboc-constants.ts). The modulus is p·q, recomputed when signing rather than
 * stored, so a 768-bit key fits one record (242 bytes).
 */
import { bigintToBytes, bytesToBigint } from "../../../bytes/bytes.ts"
import type { RsaPrivateKey } from "../../../crypto/rsa.ts"
import { findRecord } from "./pboc-image.ts"
import { ODA_ALGORITHM } from "./pboc-oda.ts"

export const ICC_KEY_RECORD = { sfi: 0, record: 1 } as const
const SM2_KEY_BYTES = 32
/** CRT parts of 32..50 bytes: ICC moduli of 512..800 bits, the most one 255-byte record holds. */
const CRT_PART_BYTES_MIN = 32
const CRT_PART_BYTES_MAX = 50

/** Length of the key record at the start of `plain` (algorithm byte included), or undefined. */
export const iccKeyLength = (plain: Uint8Array): number | undefined => {
  if (plain[0] === ODA_ALGORITHM.sm2) return plain.length >= 1 + SM2_KEY_BYTES ? 1 + SM2_KEY_BYTES : undefined
  if (plain[0] !== ODA_ALGORITHM.rsa) return undefined
  const part = plain[1] ?? 0
  if (part < CRT_PART_BYTES_MIN || part > CRT_PART_BYTES_MAX || plain.length < 2 + 5 * part) return undefined
  return 2 + 5 * part
}

export type IccPrivateKey =
  | { readonly algorithm: "rsa"; readonly key: RsaPrivateKey }
  | { readonly algorithm: "sm2"; readonly scalar: Uint8Array }

export const iccPrivateKey = (image: Uint8Array): IccPrivateKey | undefined => {
  const record = findRecord(image, ICC_KEY_RECORD.sfi, ICC_KEY_RECORD.record)
  if (record === undefined) return undefined
  if (record[0] === ODA_ALGORITHM.sm2) return { algorithm: "sm2", scalar: record.slice(1) }
  const part = record[1]!
  const at = (i: number) => record.slice(2 + i * part, 2 + (i + 1) * part)
  const p = at(0)
  const q = at(1)
  return {
    algorithm: "rsa",
    key: {
      modulus: bigintToBytes(bytesToBigint(p) * bytesToBigint(q), 2 * part),
      exponent: new Uint8Array([0x03]),
      p,
      q,
      dp: at(2),
      dq: at(3),
      qInv: at(4),
    },
  }
}
