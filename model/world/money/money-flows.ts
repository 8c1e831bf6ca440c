/**
 * The money flows of issue 6, each on a real card or a real ledger, each ending in a
 * `money.flow` signal: contactless purchase offline (e-cash TC journaled for the batch) and online
 * (ARQC through acquirer → UnionPay → issuer), transit, 圈存 load (online ARQC → host → ARPC +
 * PUT DATA script, the new balance read back from the card), utility and e-commerce payments,
 * transfers, balance inquiry, loan application, fund purchase and escrow (交易担保).
 */
import { decodeN12 } from "../../card/applets/pboc/n12-amount.ts"
import { TAG } from "../../card/applets/pboc/pboc-constants.ts"
import { exchange, getDataCommand, responseTlvs } from "../../host/terminal/card-dialogue.ts"
import type { OnlineRequest } from "../../host/terminal/online-authorizer.ts"
import { runTransaction } from "../../host/terminal/qpboc-kernel.ts"
import {
  type TerminalTransaction,
  TYPE_ECASH_LOAD,
  TYPE_PURCHASE,
} from "../../host/terminal/terminal-data.ts"
import type { Bank } from "../../parties/bank/bank.ts"
import { tap } from "../../parties/merchant/pos-terminal.ts"
import type { Payee } from "../../parties/provider/payees.ts"
import { type AuthResponse, RESPONSE_CODE } from "../../parties/unionpay/money-messages.ts"
import { type FlowKind, MONEY_SIGNAL } from "../../signals/money-signals.ts"
import { findTag } from "../../tlv/ber-tlv.ts"
import type { Holder } from "./money-cards.ts"
import type { MoneyWorld } from "./money-world.ts"

export interface FlowContext {
  readonly world: MoneyWorld
  readonly un: () => Uint8Array
  readonly date: string
  /** Fault hooks, by the n-th offline TC. */
  readonly corruptTc: (n: number) => boolean
  offlineCount: number
  /** The cardholder account behind each online transaction id (a chargeback credits it). */
  readonly payers: Map<string, string>
}

export const flowDone = (
  ctx: FlowContext,
  kind: FlowKind,
  ok: boolean,
  amountFen: number,
  detail?: string,
): void =>
  ctx.world.port.emit(MONEY_SIGNAL.flow, { kind, ok, amountFen, ...(detail === undefined ? {} : { detail }) })

const txnOf = (ctx: FlowContext, amountFen: number, online: boolean, load = false): TerminalTransaction => ({
  amountFen,
  type: load ? TYPE_ECASH_LOAD : TYPE_PURCHASE,
  dateYymmdd: ctx.date,
  unpredictableNumber: ctx.un(),
  path: load ? "pboc" : "qpboc",
  ecashSupported: !online && !load,
  onlineRequired: online || load,
})

/** A tap at a payee's reader: offline e-cash when the card approves it, otherwise online. */
export const purchase = (
  ctx: FlowContext,
  kind: FlowKind,
  h: Holder,
  payee: Payee,
  amountFen: number,
  id: string,
): void => {
  const result = tap(h.card, txnOf(ctx, amountFen, kind !== "purchase-offline" && kind !== "transit"), id, {
    pan: h.pan,
    psn: "01",
  })
  if (result.kind === "refused") {
    flowDone(ctx, kind, false, amountFen, result.reason)
    return
  }
  if (result.kind === "online") {
    online(ctx, kind, h, payee, amountFen, id, result.request)
    return
  }
  const n = ctx.offlineCount++
  h.ecashFen = result.balanceAfterFen
  const port = ctx.world.port
  port.emit(MONEY_SIGNAL.ecash, {
    issuer: h.bank.id,
    pan: h.pan,
    deltaFen: -amountFen,
    balanceAfterFen: result.balanceAfterFen,
    cause: "purchase",
  })
  port.emit(MONEY_SIGNAL.tc, {
    id,
    issuer: h.bank.id,
    acquirer: payee.acquirer,
    amountFen,
    state: "captured",
  })
  const evidence = ctx.corruptTc(n)
    ? { ...result.evidence, tc: flipped(result.evidence.tc) }
    : result.evidence
  ctx.world.acquirers.get(payee.acquirer)!.present(
    {
      id,
      kind: "offline-tc",
      acquirer: payee.acquirer,
      issuer: h.bank.id,
      amountFen,
      payee: `merch:${payee.id}`,
    },
    evidence,
  )
  flowDone(ctx, kind, true, amountFen, "offline")
}

const flipped = (bytes: Uint8Array): Uint8Array => {
  const out = bytes.slice()
  out[0] = out[0]! ^ 0x01
  return out
}

const online = (
  ctx: FlowContext,
  kind: FlowKind,
  h: Holder,
  payee: Payee,
  amountFen: number,
  id: string,
  chip: OnlineRequest,
): void => {
  h.busyUntilUs = ctx.world.port.now() + 60_000_000
  ctx.payers.set(id, h.account)
  const request = {
    kind: "auth-request",
    id,
    acquirer: payee.acquirer,
    issuer: h.bank.id,
    merchant: payee.id,
    amountFen,
    purpose: "purchase",
    chip,
  } as const
  ctx.world.acquirers.get(payee.acquirer)!.submit(request, `merch:${payee.id}`, (verdict) => {
    h.busyUntilUs = 0
    flowDone(ctx, kind, verdict === RESPONSE_CODE.approved, amountFen, String(verdict))
  })
}

/** 圈存: the wallet app talks to the issuer's host directly (the bank's own channel). */
export const ecashLoad = (ctx: FlowContext, h: Holder, amountFen: number, id: string): void => {
  const bank = h.bank
  const port = ctx.world.port
  const auth = { id, issuer: bank.id, acquirer: bank.id, amountFen }
  port.emit(MONEY_SIGNAL.auth, { ...auth, state: "opened" })
  const outcome = runTransaction(h.card, txnOf(ctx, amountFen, true, true), (chip) => {
    const answer = bank.onSwitchMessage({
      kind: "auth-request",
      id,
      acquirer: bank.id,
      issuer: bank.id,
      merchant: "wallet",
      amountFen,
      purpose: "load",
      chip,
    })
    return (answer as AuthResponse | null)?.chip ?? null
  })
  const loaded =
    outcome.kind === "approved-online" && outcome.scriptSws.length === 1 && outcome.scriptSws[0] === 0x9000
  if (loaded) {
    const after = readBalance(h)
    port.emit(MONEY_SIGNAL.ecash, {
      issuer: bank.id,
      pan: h.pan,
      deltaFen: after - h.ecashFen,
      balanceAfterFen: after,
      cause: "load",
    })
    h.ecashFen = after
    // A load settles in the issuer's own books: nothing about it goes through UnionPay's clearing.
    bank.host.settle(id)
    port.emit(MONEY_SIGNAL.auth, { ...auth, state: "settled" })
    flowDone(ctx, "ecash-load", true, amountFen)
    return
  }
  if (bank.host.wasApproved(id))
    bank.onSwitchMessage({ kind: "reversal", id, amountFen, reason: "load-failed" })
  port.emit(MONEY_SIGNAL.auth, { ...auth, state: bank.host.wasApproved(id) ? "approved" : "declined" })
  flowDone(ctx, "ecash-load", false, amountFen, outcome.kind)
}

/** GET DATA 9F79 through the card's bytes: the balance as the card itself states it. */
const readBalance = (h: Holder): number => {
  const got = exchange(h.card, "get-data", getDataCommand(TAG.balance))
  const value = got.ok ? findTag(responseTlvs(got.response.data) ?? [], TAG.balance)?.value : undefined
  const fen = value === undefined ? undefined : decodeN12(value)
  if (fen === undefined || !fen.ok) throw new Error(`card ${h.pan} did not state its balance`)
  return fen.value
}

/** Pays from a customer account to any account at any bank: same bank at once, else through clearing. */
export const payAccount = (
  ctx: FlowContext,
  from: Bank,
  fromAccount: string,
  to: Bank,
  toAccount: string,
  amountFen: number,
  id: string,
): boolean => {
  if (from === to)
    return from.post(`transfer:${id}`, [
      { account: fromAccount, deltaFen: -amountFen },
      { account: toAccount, deltaFen: amountFen },
    ]).ok
  const debit = from.post(`transfer:${id}`, [
    { account: fromAccount, deltaFen: -amountFen },
    { account: "scheme-payable", deltaFen: amountFen },
  ])
  if (!debit.ok) return false
  ctx.world.acquirers
    .get(from.id)!
    .present({ id, kind: "transfer", acquirer: to.id, issuer: from.id, amountFen, payee: toAccount }, null)
  return true
}
