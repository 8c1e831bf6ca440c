/**
 * The off-card side of Delegated Management (GP Card Spec 2.2 §9.3, Annex C; the card side is
 * card/applets/security-domain/sd-delegated-management.ts): the card issuer (the telco owning the
 * ISD) signs tokens for the commands an SP-TSM's Delegated Management SSD sends, and the TSM
 * checks the receipt the card returns. Token layout (the twin's profile, named there): 4-byte
 * token identifier ‖ SM2 r ‖ s over token data ‖ identifier.
 */
import { type CommandApdu, command } from "../../apdu/command.ts"
import { bigintToBytes, concat, equalsConstantTime, uintToBytes } from "../../bytes/bytes.ts"
import { err, ok, type Result } from "../../bytes/result.ts"
import {
  receiptMac,
  signedTokenMessage,
  TOKEN_BYTES,
  tokenData,
} from "../../card/applets/security-domain/sd-delegated-management.ts"
import { TOKEN_ID_BYTES } from "../../card/runtime/delegated-management-keys.ts"
import type { Crypto } from "../../crypto/crypto.ts"
import { SM2P256V1 } from "../../crypto/sm2/curve.ts"
import { SM2_DEFAULT_USER_ID } from "../../crypto/sm2/sm2.ts"

/** The card issuer's token signing key and the next nonce source for SM2's k. */
export interface TokenSigner {
  readonly privateKey: bigint
  /** A fresh SM2 ephemeral scalar per signature, from the caller's seeded stream. */
  readonly nextK: () => bigint
}

const sign = (crypto: Crypto, signer: TokenSigner, message: Uint8Array): Uint8Array => {
  for (let attempt = 0; attempt < 8; attempt++) {
    const signature = crypto.sm2.sign(
      SM2P256V1,
      signer.privateKey,
      SM2_DEFAULT_USER_ID,
      message,
      signer.nextK(),
    )
    if (signature !== null) return concat(bigintToBytes(signature.r, 32), bigintToBytes(signature.s, 32))
  }
  throw new RangeError("eight SM2 nonces in a row were unusable: the k stream is broken")
}

const tokenFor = (crypto: Crypto, signer: TokenSigner, data: Uint8Array, tokenId: number): Uint8Array => {
  const id = uintToBytes(tokenId, TOKEN_ID_BYTES)
  const token = concat(id, sign(crypto, signer, signedTokenMessage(data, id)))
  if (token.length !== TOKEN_BYTES) throw new RangeError("token length")
  return token
}

/**
 * INSTALL with the issuer's token in its last field: `plain` is an INSTALL built by gp-commands.ts
 * with an empty token field (its last byte is the token's length 00).
 */
export const withInstallToken = (
  crypto: Crypto,
  signer: TokenSigner,
  plain: CommandApdu,
  tokenId: number,
): CommandApdu => {
  if (plain.ins !== 0xe6 || plain.data.at(-1) !== 0x00)
    throw new RangeError("not an INSTALL with an empty token")
  const before = plain.data.subarray(0, plain.data.length - 1)
  const token = tokenFor(crypto, signer, tokenData(plain.p1, plain.p2, before), tokenId)
  return command(
    plain.cla,
    plain.ins,
    plain.p1,
    plain.p2,
    concat(before, Uint8Array.of(token.length), token),
    plain.le,
  )
}

/** DELETE `4F len AID` followed by `9E len token` (GP 2.2 §11.2.2.3). */
export const withDeleteToken = (
  crypto: Crypto,
  signer: TokenSigner,
  plain: CommandApdu,
  tokenId: number,
): CommandApdu => {
  if (plain.ins !== 0xe4) throw new RangeError("not a DELETE")
  const token = tokenFor(crypto, signer, tokenData(plain.p1, plain.p2, plain.data), tokenId)
  const data = concat(plain.data, Uint8Array.of(0x9e, token.length), token)
  return command(plain.cla, plain.ins, plain.p1, plain.p2, data, plain.le)
}

export interface Confirmation {
  readonly receipt: Uint8Array
  readonly confirmationCounter: number
  readonly cardUniqueData: Uint8Array
}

export type ReceiptError = "no-receipt" | "malformed" | "wrong-receipt"

/**
 * Checks a receipt (Annex C.4): the response data `L receipt L counter L card unique data`, the
 * receipt recomputed with the receipt key over counter ‖ card unique data ‖ the objects' L ‖ AID,
 * in the order of the operation (load: load file, SD; install: load file, application;
 * extradition: SD, application; delete: the AID).
 */
export const verifyReceipt = (
  crypto: Crypto,
  receiptKey: Uint8Array,
  response: Uint8Array,
  objectAids: ReadonlyArray<Uint8Array>,
): Result<Confirmation, ReceiptError> => {
  if (response.length === 1 && response[0] === 0x00) return err("no-receipt")
  const parts: Uint8Array[] = []
  let at = 0
  for (let i = 0; i < 3; i++) {
    const length = response[at]
    if (length === undefined || at + 1 + length > response.length) return err("malformed")
    parts.push(response.subarray(at + 1, at + 1 + length))
    at += 1 + length
  }
  const [receipt, counter, unique] = parts as [Uint8Array, Uint8Array, Uint8Array]
  if (at !== response.length || counter.length !== 2 || receipt.length !== 8) return err("malformed")
  const lvs = objectAids.map((aid) => concat(Uint8Array.of(aid.length), aid))
  const expected = receiptMac(crypto, receiptKey, concat(counter, unique, ...lvs))
  if (!equalsConstantTime(expected, receipt)) return err("wrong-receipt")
  return ok({ receipt, confirmationCounter: (counter[0]! << 8) | counter[1]!, cardUniqueData: unique })
}
