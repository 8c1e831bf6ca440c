/**
 * The issuer's key hierarchy for PBOC cards (EMV 4.3 Book 2 Annex A1.4; EMV CPS DGI 8000): three
 * issuer master keys — IMK-AC for application cryptograms, IMK-SMI for script integrity and
 * IMK-SMC for script confidentiality — and the ICC master keys derived from them per card with
 * option A from PAN and PSN. The card's algorithm profile decides the cipher (3DES or the twin's
 * SM4 profile, algorithm-profile.ts).
 */

import type { AlgorithmProfile } from "../../card/applets/pboc/algorithm-profile.ts"
import type { Crypto } from "../../crypto/crypto.ts"

export interface IssuerMasterKeys {
  readonly imkAc: Uint8Array
  readonly imkSmi: Uint8Array
  readonly imkSmc: Uint8Array
}

export interface IccMasterKeys {
  readonly mkAc: Uint8Array
  readonly mkSmi: Uint8Array
  readonly mkSmc: Uint8Array
}

/** The account data a key derivation needs: PAN digits and the 2-digit PSN (null = "00"). */
export interface CardAccount {
  readonly pan: string
  readonly psn: string | null
}

export const deriveIccMasterKeys = (
  crypto: Crypto,
  profile: AlgorithmProfile,
  imks: IssuerMasterKeys,
  account: CardAccount,
): IccMasterKeys => ({
  mkAc: profile.masterKey(crypto, imks.imkAc, account.pan, account.psn),
  mkSmi: profile.masterKey(crypto, imks.imkSmi, account.pan, account.psn),
  mkSmc: profile.masterKey(crypto, imks.imkSmc, account.pan, account.psn),
})
