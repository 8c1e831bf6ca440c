/**
 * The issuer's check of an offline e-cash TC when it is presented in clearing. On the qPBOC path
 * the card computes the TC at GET PROCESSING OPTIONS with the same session key and input as an
 * ARQC (EMV 4.3 Book 2 §8.1; model/card/applets/pboc/pboc-cryptogram.ts), so the issuer
 * recomputes it with the ARQC verifier from the terminal data, AIP, ATC and IAD the terminal
 * journaled. A TC that does not verify is a 差错 case (`bad-tc`).
 */
import type { AlgorithmProfile } from "../../card/applets/pboc/algorithm-profile.ts"
import type { TerminalData } from "../../card/applets/pboc/cryptogram-input.ts"
import type { Crypto } from "../../crypto/crypto.ts"
import { verifyArqc } from "../../host/issuer/authorization.ts"
import { deriveIccMasterKeys, type IssuerMasterKeys } from "../../host/issuer/issuer-keys.ts"

/** What the terminal journals for one offline approval (its batch upload carries it). */
export interface TcEvidence {
  readonly id: string
  readonly pan: string
  readonly psn: string | null
  readonly amountFen: number
  readonly terminal: TerminalData
  readonly aip: Uint8Array
  readonly atc: number
  readonly iad: Uint8Array
  readonly tc: Uint8Array
}

export const verifyTc = (
  crypto: Crypto,
  profile: AlgorithmProfile,
  imks: IssuerMasterKeys,
  evidence: TcEvidence,
): boolean => {
  const keys = deriveIccMasterKeys(crypto, profile, imks, evidence)
  return verifyArqc(crypto, profile, keys.mkAc, { ...evidence, arqc: evidence.tc }).ok
}
