/**
 * What the ISD keeps for Delegated Management in its persistent state (the image's SD state
 * field): the receipt generation key, the card issuer's token verification key, the confirmation
 * counter and the last token identifier accepted. The rules that use them are in
 * applets/security-domain/sd-delegated-management.ts.
 */
import { bigintToBytes, bytesToBigint, bytesToUint, concat, uintToBytes } from "../../bytes/bytes.ts"
import type { Sm2Point } from "../../crypto/sm2/sm2.ts"

/** The keys and counters the ISD keeps for Delegated Management (in its persistent state). */
export interface DelegatedManagementState {
  /** 3DES receipt generation key (16 bytes). */
  readonly receiptKey: Uint8Array
  /** The card issuer's SM2 public key, the token verification key. */
  readonly tokenKey: Sm2Point
  /** Incremented for every receipt (Annex C.4: the confirmation counter). */
  confirmationCounter: number
  /** The highest token identifier accepted so far (the twin's replay check). */
  lastTokenId: number
}

const STATE_BYTES = 16 + 64 + 2 + 4
export const TOKEN_ID_BYTES = 4

export const encodeDelegatedManagement = (s: DelegatedManagementState): Uint8Array =>
  concat(
    s.receiptKey,
    bigintToBytes(s.tokenKey.x, 32),
    bigintToBytes(s.tokenKey.y, 32),
    uintToBytes(s.confirmationCounter, 2),
    uintToBytes(s.lastTokenId, TOKEN_ID_BYTES),
  )

export const decodeDelegatedManagement = (bytes: Uint8Array): DelegatedManagementState | null =>
  bytes.length !== STATE_BYTES
    ? null
    : {
        receiptKey: bytes.slice(0, 16),
        tokenKey: { x: bytesToBigint(bytes.subarray(16, 48)), y: bytesToBigint(bytes.subarray(48, 80)) },
        confirmationCounter: bytesToUint(bytes.subarray(80, 82)),
        lastTokenId: bytesToUint(bytes.subarray(82, 86)),
      }
