/**
 * Delegated Management (GP Card Spec 2.2 §9.3 and Annex C): a security domain with the Delegated
 * Management privilege may load, install, extradite and delete only with a token from the card
 * issuer, which the card (the ISD, for the card issuer) verifies with the token verification key;
 * for each such operation the card returns a receipt computed with the receipt generation key,
 * which the issuer's side (here the SP-TSM or the 贵州通 TSM) verifies to know the operation
 * happened on that card.
 *
 * GP's token data and receipt data are kept (Annex C.3, C.4): token data = P1 ‖ P2 ‖ L ‖ the
 * command's data fields before the token; load receipt data = confirmation counter ‖ card unique
 * data ‖ L ‖ load file AID ‖ L ‖ SD AID, install = … ‖ L ‖ load file AID ‖ L ‖ application AID,
 * extradition = … ‖ L ‖ SD AID ‖ L ‖ application AID, delete = … ‖ L ‖ AID. The receipt is the
 * 3DES MAC of Annex B (ISO 9797-1 MAC algorithm 1, full 3DES CBC, ICV zero, padding method 2).
 *
 * The twin's own profile where GP leaves the choice or does not fit the pilot (labelled as such):
 * the token is an SM2 signature (GB/T 32918.2, default ID) instead of RSA, as a Chinese card issuer
 * would sign; and the token field is a 4-byte token identifier followed by the 64-byte r ‖ s, the
 * identifier signed with the token data and required to increase card-wide, so that a recorded
 * token cannot be replayed (GP 2.2 tokens carry no identifier and stay valid forever).
 */
import { bytesToBigint, bytesToUint, concat, uintToBytes } from "../../../bytes/bytes.ts"
import type { Crypto } from "../../../crypto/crypto.ts"
import { mac9797Alg1 } from "../../../crypto/mac.ts"
import { SM2P256V1 } from "../../../crypto/sm2/curve.ts"
import { SM2_DEFAULT_USER_ID } from "../../../crypto/sm2/sm2.ts"
import {
  decodeDelegatedManagement,
  encodeDelegatedManagement,
  TOKEN_ID_BYTES,
} from "../../runtime/delegated-management-keys.ts"
import type { Failure } from "../../runtime/outcome.ts"
import { EntryKind, hasPrivilege, Privilege, type RegistryEntry } from "../../runtime/registry.ts"
import type { SdContext } from "./sd-context.ts"

/** The token field: identifier ‖ SM2 r ‖ s. */
export const TOKEN_BYTES = TOKEN_ID_BYTES + 64

const isdOf = (ctx: SdContext): RegistryEntry | undefined =>
  ctx.state.entries.find((e) => e.kind === EntryKind.ISD)

/** Token data of GP 2.2 Annex C.3: P1 ‖ P2 ‖ L ‖ the data fields that precede the token. */
export const tokenData = (p1: number, p2: number, fieldsBeforeToken: Uint8Array): Uint8Array =>
  concat(Uint8Array.of(p1, p2, fieldsBeforeToken.length), fieldsBeforeToken)

/** The message the card issuer signs: token data ‖ token identifier. */
export const signedTokenMessage = (data: Uint8Array, tokenId: Uint8Array): Uint8Array => concat(data, tokenId)

/**
 * Whether the domain may do this card-content operation: the ISD and domains with Authorized
 * Management need no token (GP 2.2 §9.2); a Delegated Management domain needs a token that
 * verifies under the token key and carries an identifier above the last one accepted (6982
 * otherwise, ISO 7816-4 "security status not satisfied", the answer GP gives for a refused
 * token). A domain with neither privilege is refused likewise.
 */
export const authorize = (ctx: SdContext, data: Uint8Array, token: Uint8Array): Failure | null => {
  if (ctx.sd.kind === EntryKind.ISD || hasPrivilege(ctx.sd.privileges, Privilege.AUTHORIZED_MANAGEMENT)) {
    return null
  }
  if (!hasPrivilege(ctx.sd.privileges, Privilege.DELEGATED_MANAGEMENT)) return "security-status"
  const isd = isdOf(ctx)
  const dm = isd === undefined ? null : decodeDelegatedManagement(isd.state)
  if (isd === undefined || dm === null || token.length !== TOKEN_BYTES) return "security-status"
  const tokenId = token.subarray(0, TOKEN_ID_BYTES)
  const signature = { r: bytesToBigint(token.subarray(4, 36)), s: bytesToBigint(token.subarray(36, 68)) }
  const message = signedTokenMessage(data, tokenId)
  if (!ctx.crypto.sm2.verify(SM2P256V1, dm.tokenKey, SM2_DEFAULT_USER_ID, message, signature)) {
    return "security-status"
  }
  const id = bytesToUint(tokenId)
  if (id <= dm.lastTokenId) return "security-status"
  dm.lastTokenId = id
  isd.state = encodeDelegatedManagement(dm)
  ctx.markDirty()
  return null
}

/** Card unique data in receipts: the CPLC IC fabricator and type ‖ IC serial (8 bytes). */
export const cardUniqueData = (ctx: SdContext): Uint8Array =>
  concat(ctx.profile.cplcChip.subarray(0, 4), ctx.state.serial)

/** The receipt MAC (Annex C.4 with Annex B's 3DES MAC) over the receipt data. */
export const receiptMac = (crypto: Crypto, key: Uint8Array, receiptData: Uint8Array): Uint8Array =>
  mac9797Alg1(crypto, "TDES", key, receiptData, 2)

const lv = (value: Uint8Array): Uint8Array => concat(Uint8Array.of(value.length), value)

/**
 * The response data of a delegated operation (GP 2.2 §11.5.3.1 / §11.2.3.1): L ‖ receipt ‖
 * L ‖ confirmation counter ‖ L ‖ card unique data; the single byte 00 (no receipt) for a domain
 * acting without Delegated Management or a card issued without Delegated Management keys.
 */
export const confirmation = (ctx: SdContext, objectAids: ReadonlyArray<Uint8Array>): Uint8Array => {
  const isd = isdOf(ctx)
  const dm = isd === undefined ? null : decodeDelegatedManagement(isd.state)
  const delegated =
    ctx.sd.kind !== EntryKind.ISD && hasPrivilege(ctx.sd.privileges, Privilege.DELEGATED_MANAGEMENT)
  if (!delegated || isd === undefined || dm === null) return Uint8Array.of(0x00)
  dm.confirmationCounter = (dm.confirmationCounter + 1) & 0xffff
  isd.state = encodeDelegatedManagement(dm)
  ctx.markDirty()
  const counter = uintToBytes(dm.confirmationCounter, 2)
  const unique = cardUniqueData(ctx)
  const receipt = receiptMac(ctx.crypto, dm.receiptKey, concat(counter, unique, ...objectAids.map(lv)))
  return concat(lv(receipt), lv(counter), lv(unique))
}
