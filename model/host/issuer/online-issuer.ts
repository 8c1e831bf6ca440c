/**
 * The issuer host's answer to one online request, end to end on the crypto side: derive the card's
 * ICC master keys from PAN and PSN, verify the ARQC, answer ARC + ARPC, and for a 圈存 load add
 * the PUT DATA 9F79 script with the new balance. The ledger's decision (funds, limits, hot list)
 * comes in as `approve` and `loadFen`; this file decides nothing about money.
 */
import type { CommandApdu } from "../../apdu/command.ts"
import type { AlgorithmProfile } from "../../card/applets/pboc/algorithm-profile.ts"
import type { Crypto } from "../../crypto/crypto.ts"
import type { OnlineRequest, OnlineResponse } from "../terminal/online-authorizer.ts"
import { respondToArqc } from "./authorization.ts"
import { deriveIccMasterKeys, type IssuerMasterKeys } from "./issuer-keys.ts"
import { loadScript, smiSessionKey } from "./issuer-script.ts"

export interface IssuerDecision {
  readonly approve: boolean
  /** Amount to add to the e-cash balance by script; null for a plain purchase. */
  readonly loadFen: number | null
  /** Extra scripts built by the caller (e.g. APPLICATION BLOCK after a loss report). */
  readonly extraScripts?: (skSmi: Uint8Array) => ReadonlyArray<CommandApdu>
}

export const answerOnlineRequest = (
  crypto: Crypto,
  profile: AlgorithmProfile,
  imks: IssuerMasterKeys,
  request: OnlineRequest,
  decision: IssuerDecision,
): OnlineResponse => {
  const keys = deriveIccMasterKeys(crypto, profile, imks, request)
  const answer = respondToArqc(crypto, profile, keys.mkAc, request, decision.approve)
  if (answer.issuerAuthenticationData === null || !answer.approved) {
    return { approved: false, issuerAuthenticationData: answer.issuerAuthenticationData, scripts: [] }
  }
  const binding = { atc: request.atc, arqc: request.arqc }
  const skSmi = smiSessionKey(crypto, profile, keys.mkSmi, binding)
  const scripts: CommandApdu[] = []
  if (decision.loadFen !== null && request.balanceBeforeFen !== null) {
    scripts.push(loadScript(crypto, profile, skSmi, binding, request.balanceBeforeFen, decision.loadFen))
  }
  scripts.push(...(decision.extraScripts?.(skSmi) ?? []))
  return { approved: true, issuerAuthenticationData: answer.issuerAuthenticationData, scripts }
}
