/**
 * `card pay`'s transaction: the twin's qPBOC terminal kernel (model/host/terminal/qpboc-kernel.ts)
 * on the standard PBOC path with an online authorization, the issuer host behind it holding the
 * seed's issuer master keys. The host first verifies the ARQC against the ICC master key it derives
 * from the card's PAN and PSN (EMV 4.3 Book 2 §8.1.2) and approves only when it verifies; the card
 * then checks the ARPC and ends with a TC.
 */
import type { AlgorithmProfile } from "../../model/card/applets/pboc/algorithm-profile.ts"
import type { Card } from "../../model/card/card.ts"
import type { Crypto } from "../../model/crypto/crypto.ts"
import { verifyArqc } from "../../model/host/issuer/authorization.ts"
import { deriveIccMasterKeys, type IssuerMasterKeys } from "../../model/host/issuer/issuer-keys.ts"
import { answerOnlineRequest } from "../../model/host/issuer/online-issuer.ts"
import type { OnlineAuthorizer, OnlineRequest } from "../../model/host/terminal/online-authorizer.ts"
import { runTransaction } from "../../model/host/terminal/qpboc-kernel.ts"
import { TYPE_PURCHASE } from "../../model/host/terminal/terminal-data.ts"
import type { TerminalOutcome } from "../../model/host/terminal/terminal-outcome.ts"

export interface IssuerVerdict {
  readonly request: OnlineRequest
  readonly arqcVerified: boolean
}

export interface Payment {
  readonly outcome: TerminalOutcome
  /** What the issuer host saw and concluded; null when the card never asked to go online. */
  readonly issuer: IssuerVerdict | null
}

export interface PaymentOptions {
  readonly crypto: Crypto
  readonly algorithm: AlgorithmProfile
  readonly imks: IssuerMasterKeys
  readonly amountFen: number
  readonly dateYymmdd: string
  readonly unpredictableNumber: Uint8Array
}

export const payOnline = (card: Card, options: PaymentOptions): Payment => {
  const { crypto, algorithm, imks } = options
  const seen: { verdict: IssuerVerdict | null } = { verdict: null }
  const host: OnlineAuthorizer = (request) => {
    const mkAc = deriveIccMasterKeys(crypto, algorithm, imks, request).mkAc
    const arqcVerified = verifyArqc(crypto, algorithm, mkAc, request).ok
    seen.verdict = { request, arqcVerified }
    return answerOnlineRequest(crypto, algorithm, imks, request, { approve: arqcVerified, loadFen: null })
  }
  const outcome = runTransaction(
    card,
    {
      amountFen: options.amountFen,
      type: TYPE_PURCHASE,
      dateYymmdd: options.dateYymmdd,
      unpredictableNumber: options.unpredictableNumber,
      path: "pboc",
      ecashSupported: false,
      onlineRequired: true,
    },
    host,
  )
  return { outcome, issuer: seen.verdict }
}

/** Approved online with a TC, after the issuer host verified the ARQC. */
export const paymentApproved = (payment: Payment): boolean =>
  payment.outcome.kind === "approved-online" &&
  payment.outcome.tc !== null &&
  payment.issuer?.arqcVerified === true
