/**
 * The issuer host's online PIN check (ibm3624.ts): decrypts the PIN block under the zone PIN key
 * inside its HSM, compares with the stored offset, and keeps the PIN try counter per card: each
 * wrong PIN spends a try, a right one resets them, and once the limit is spent every attempt —
 * right or wrong — is refused until the issuer unblocks the PIN (EMV Book 3 §10.5 semantics,
 * kept by the host because the PIN is online).
 */

import type { Crypto } from "../../crypto/crypto.ts"
import { pinOfClearBlock } from "../../crypto/pin-block.ts"
import { pinMatches } from "../pin/ibm3624.ts"

export type PinCheck = "ok" | "wrong-pin" | "pin-try-limit-exceeded" | "pin-block-error" | "no-pin-on-file"

export const PIN_TRY_LIMIT = 3

export class IssuerPinVerifier {
  private readonly triesLeft = new Map<string, number>()

  constructor(
    private readonly crypto: Crypto,
    private readonly zpk: Uint8Array,
    private readonly pvk: Uint8Array,
    /** IBM 3624 offsets by PAN. */
    private readonly offsets: ReadonlyMap<string, string>,
    private readonly tryLimit = PIN_TRY_LIMIT,
  ) {}

  verify(pan: string, pinBlock: Uint8Array): PinCheck {
    const offset = this.offsets.get(pan)
    if (offset === undefined) return "no-pin-on-file"
    const left = this.triesLeft.get(pan) ?? this.tryLimit
    if (left <= 0) return "pin-try-limit-exceeded"
    const pin =
      pinBlock.length === 8 ? pinOfClearBlock(this.crypto.decryptEcb("TDES", this.zpk, pinBlock), pan) : null
    if (pin === null) return "pin-block-error"
    if (pinMatches(this.crypto, this.pvk, pan, offset, pin)) {
      this.triesLeft.set(pan, this.tryLimit)
      return "ok"
    }
    this.triesLeft.set(pan, left - 1)
    return left - 1 === 0 ? "pin-try-limit-exceeded" : "wrong-pin"
  }

  triesLeftFor(pan: string): number {
    return this.triesLeft.get(pan) ?? this.tryLimit
  }
}
