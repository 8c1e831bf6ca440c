/**
 * The reader's cardholder verification on the qPBOC path (VCPS-derived kernels, JR/T 0025.12 as
 * the twin reads it): above the reader CVM-required limit the reader sets TTQ byte 2 b7 "CVM
 * required" and b8 "online cryptogram required", so the e-cash card cannot approve offline and
 * answers with an ARQC; the reader then takes the cardholder's PIN at its PIN pad and sends it
 * online as an ISO 9564 format 0 block under its terminal PIN key (TPK). TVR byte 3 b3 "online PIN
 * entered" and TSI "CVM performed" record it; a cancelled PIN entry sets "CVM not successful" and
 * the transaction goes online without a PIN — the TTQ the issuer receives says a CVM was required,
 * so the issuer declines (online-pin-route.ts).
 *
 * On qPBOC the reader decides; the card's CVM list 8E drives the standard path (cvm-processing.ts).
 */

import { TAG } from "../../card/applets/pboc/pboc-constants.ts"
import type { Crypto } from "../../crypto/crypto.ts"
import { encryptPinBlock } from "../../crypto/pin-block.ts"
import type { KernelChecks } from "./kernel-checks.ts"
import { TSI, TVR } from "./kernel-checks.ts"
import type { OnlineAuthorizer } from "./online-authorizer.ts"
import type { TerminalTransaction } from "./terminal-data.ts"

export interface ReaderCvm {
  /** Above this amount the reader requires a CVM (online PIN). */
  readonly cvmRequiredLimitFen: number
  /** The terminal PIN key (TPK), 16 bytes 3DES, shared with the acquirer's HSM. */
  readonly pinKey: Uint8Array
  /** The cardholder at the PIN pad: the digits typed, or null when they cancel. */
  readonly enterPin: () => string | null
  /** An attended terminal that can take a signature (CVM 1E); default true. */
  readonly signature?: boolean
}

/** TTQ byte 2: b8 online cryptogram required, b7 CVM required. */
const TTQ_ONLINE_AND_CVM = 0xc0

/** Sets the TTQ bits when the amount needs a CVM; true when it does. */
export const demandCvm = (
  cvm: ReaderCvm,
  txn: TerminalTransaction,
  terminal: Map<number, Uint8Array>,
): boolean => {
  const ttq = terminal.get(TAG.ttq)
  if (txn.path !== "qpboc" || txn.amountFen <= cvm.cvmRequiredLimitFen || ttq === undefined) return false
  ttq[1]! |= TTQ_ONLINE_AND_CVM
  return true
}

/** Wraps the authorizer: the PIN is taken only when the card actually goes online. */
export const withOnlinePin =
  (
    config: { readonly crypto: Crypto; readonly cvm?: ReaderCvm },
    checks: KernelChecks,
    authorize: OnlineAuthorizer,
  ): OnlineAuthorizer =>
  (request) => {
    const pin = config.cvm?.enterPin() ?? null
    checks.performed(TSI.cvmPerformed)
    if (pin === null || config.cvm === undefined) {
      checks.set(TVR.cvmNotSuccessful)
      return authorize(request)
    }
    checks.set(TVR.onlinePinEntered)
    return authorize({
      ...request,
      pinBlock: encryptPinBlock(config.crypto, config.cvm.pinKey, pin, request.pan),
    })
  }
