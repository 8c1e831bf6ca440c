/**
 * An online PIN's way from the terminal to the issuer (DESIGN.md §1: acquirer → UnionPay →
 * issuer): the acquirer/UnionPay HSM translates the PIN block from the terminal PIN key to the
 * zone PIN key (pin-translation.ts), and the issuer host verifies it (pin-verifier.ts) before its
 * usual ARQC check and answer. A wrong PIN, a spent try limit, an unreadable block, or no PIN when
 * the reader's TTQ says a CVM was required, is a decline with a genuine ARPC.
 */
import type { AlgorithmProfile } from "../../card/applets/pboc/algorithm-profile.ts"
import { TAG } from "../../card/applets/pboc/pboc-constants.ts"
import type { Crypto } from "../../crypto/crypto.ts"
import { translatePinBlock } from "../pin/pin-translation.ts"
import type { OnlineAuthorizer } from "../terminal/online-authorizer.ts"
import type { IssuerMasterKeys } from "./issuer-keys.ts"
import { answerOnlineRequest } from "./online-issuer.ts"
import type { IssuerPinVerifier, PinCheck } from "./pin-verifier.ts"

const TTQ_CVM_REQUIRED = 0x40

export interface PinZone {
  /** Terminal PIN key, known to the terminal and the acquirer HSM. */
  readonly tpk: Uint8Array
  /** Zone PIN key between the acquirer/UnionPay HSM and the issuer HSM. */
  readonly zpk: Uint8Array
}

export const onlinePinAuthorizer = (
  crypto: Crypto,
  profile: AlgorithmProfile,
  imks: IssuerMasterKeys,
  zone: PinZone,
  verifier: IssuerPinVerifier,
  /** Sees each PIN check, for traces and tests. */
  observe: (check: PinCheck | "no-pin" | "pin-missing") => void = () => {},
): OnlineAuthorizer => {
  return (request) => {
    let check: PinCheck | "no-pin" | "pin-missing" = "no-pin"
    // TTQ byte 2 b7 in the forwarded terminal data: the reader required a CVM.
    if ((request.terminal.get(TAG.ttq)?.[1] ?? 0) & TTQ_CVM_REQUIRED) check = "pin-missing"
    if (request.pinBlock !== undefined) {
      const atZone = translatePinBlock(crypto, zone.tpk, zone.zpk, request.pinBlock, request.pan)
      check = atZone === null ? "pin-block-error" : verifier.verify(request.pan, atZone)
    }
    observe(check)
    const approve = check === "ok" || check === "no-pin"
    return answerOnlineRequest(crypto, profile, imks, request, { approve, loadFen: null })
  }
}
