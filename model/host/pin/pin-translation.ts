/**
 * The acquirer's (and UnionPay's) HSM step for an online PIN: the PIN block arrives encrypted
 * under the terminal PIN key (TPK) and leaves under the zone PIN key (ZPK) shared with the next
 * hop, never in clear outside the HSM. A block that does not decrypt to a well-formed format-0
 * block is refused (HSMs answer a "PIN block format error").
 */

import type { Crypto } from "../../crypto/crypto.ts"
import { encryptPinBlock, pinOfClearBlock } from "../../crypto/pin-block.ts"

export const translatePinBlock = (
  crypto: Crypto,
  fromKey: Uint8Array,
  toKey: Uint8Array,
  pinBlock: Uint8Array,
  pan: string,
): Uint8Array | null => {
  if (pinBlock.length !== 8) return null
  const pin = pinOfClearBlock(crypto.decryptEcb("TDES", fromKey, pinBlock), pan)
  return pin === null ? null : encryptPinBlock(crypto, toKey, pin, pan)
}
