/**
 * A byte-level card's payments at a terminal, answered by its issuer (issue 12 item 3): the qPBOC
 * kernel (model/host/terminal) runs on the card's real bytes; an online request goes to the
 * authorization host of the bank that issued the PAN, which verifies the ARQC under that bank's
 * own IMKs (issuer-keys.ts, found by BIN and the DKI in the IAD) before it answers with an ARPC;
 * an offline e-cash approval's TC is presented to the same issuer and verified there
 * (model/parties/bank/tc-verifier.ts) — at presentment, the day of the tap. A cryptogram that does
 * not verify declines the payment: the flow fails and says why.
 */
import type { Crypto } from "../../../crypto/crypto.ts"
import type { StoryContext } from "../../../host/card-story/story-context.ts"
import { answerOnlineRequest } from "../../../host/issuer/online-issuer.ts"
import type { OnlineRequest, OnlineResponse } from "../../../host/terminal/online-authorizer.ts"
import { runTransaction } from "../../../host/terminal/qpboc-kernel.ts"
import {
  type TerminalTransaction,
  TYPE_ECASH_LOAD,
  TYPE_PURCHASE,
} from "../../../host/terminal/terminal-data.ts"
import type { TerminalOutcome } from "../../../host/terminal/terminal-outcome.ts"
import { verifyTc } from "../../../parties/bank/tc-verifier.ts"
import { tap } from "../../../parties/merchant/pos-terminal.ts"
import type { BankIssuerKeys } from "./issuer-keys.ts"

/** What the issuers verified, for the fidelity block. */
export interface IssuerCounts {
  /** Online authorisation requests the byte-level cards sent (purchases and 圈存 loads). */
  onlineRequests: number
  arqcVerified: number
  arqcRejected: number
  tcPresented: number
  tcVerified: number
  tcRejected: number
}

export const emptyIssuerCounts = (): IssuerCounts => ({
  onlineRequests: 0,
  arqcVerified: 0,
  arqcRejected: 0,
  tcPresented: 0,
  tcVerified: 0,
  tcRejected: 0,
})

const NO_ANSWER: OnlineResponse = { approved: false, issuerAuthenticationData: null, scripts: [] }

/** The issuer's side: verify under the PAN's bank keys, approve (the ledger is the money helpers'), ARPC. */
export const issuerAuthorizer =
  (crypto: Crypto, ctx: StoryContext, keys: BankIssuerKeys, counts: IssuerCounts, loadFen: number | null) =>
  (request: OnlineRequest): OnlineResponse => {
    counts.onlineRequests++
    const bank = keys.bankOfPan(request.pan)
    const dki = request.iad[1]
    if (bank === null || dki === undefined) {
      counts.arqcRejected++
      return NO_ANSWER
    }
    const answer = answerOnlineRequest(crypto, ctx.algorithm, keys.imks(bank, dki), request, {
      approve: true,
      loadFen,
    })
    if (answer.issuerAuthenticationData === null) counts.arqcRejected++
    else counts.arqcVerified++
    return answer
  }

export type PaymentResult =
  | { readonly ok: true; readonly balanceAfterFen: number | null }
  | { readonly ok: false; readonly reason: string; readonly byIssuer: boolean }

const declined = (reason: string, byIssuer: boolean): PaymentResult => ({ ok: false, reason, byIssuer })

/** An online purchase or 圈存 load: approved only with the issuer's ARPC and (for a load) its script done. */
export const payOnline = (
  crypto: Crypto,
  ctx: StoryContext,
  keys: BankIssuerKeys,
  counts: IssuerCounts,
  txn: TerminalTransaction,
  loadFen: number | null,
): PaymentResult => {
  const rejectedBefore = counts.arqcRejected
  const o: TerminalOutcome = runTransaction(
    ctx.card,
    txn,
    issuerAuthorizer(crypto, ctx, keys, counts, loadFen),
  )
  if (counts.arqcRejected > rejectedBefore)
    return declined("the issuer's host did not verify the ARQC under the bank's key", true)
  if (o.kind !== "approved-online" || o.tc === null)
    return declined(`the card's online payment gave ${o.kind}`, false)
  if (txn.type === TYPE_ECASH_LOAD && (o.scriptSws.length !== 1 || o.scriptSws[0] !== 0x9000))
    return declined("the 圈存 script did not complete", false)
  return { ok: true, balanceAfterFen: null }
}

/** An offline e-cash purchase: the card approves, then its TC is presented to and verified by the issuer. */
export const payOffline = (
  crypto: Crypto,
  ctx: StoryContext,
  keys: BankIssuerKeys,
  counts: IssuerCounts,
  txn: TerminalTransaction,
  id: string,
): PaymentResult => {
  const account = ctx.data.account
  const t = tap(ctx.card, txn, id, account)
  if (t.kind !== "offline") return declined(`the card's offline purchase gave ${t.kind}`, false)
  counts.tcPresented++
  const bank = keys.bankOfPan(account.pan)
  const good =
    bank !== null && verifyTc(crypto, ctx.algorithm, keys.imks(bank, t.evidence.iad[1] ?? -1), t.evidence)
  if (!good) {
    counts.tcRejected++
    return declined("the issuer rejected the e-cash TC at presentment", true)
  }
  counts.tcVerified++
  return { ok: true, balanceAfterFen: t.balanceAfterFen }
}

export { TYPE_ECASH_LOAD, TYPE_PURCHASE }
