/**
 * The payment half of the story, as a merchant's reader and the bank's host run it (PROTOCOLS.md
 * §2): a qPBOC offline e-cash purchase, an online purchase answered with an ARPC, a 圈存 load by
 * issuer script, and an APPLICATION BLOCK script after a loss report. Each transaction goes through
 * the terminal kernel (model/host/terminal/qpboc-kernel.ts) and the issuer code, bytes only.
 */
import { toHex } from "../../bytes/hex.ts"
import { blockScript } from "../issuer/issuer-script.ts"
import { answerOnlineRequest, type IssuerDecision } from "../issuer/online-issuer.ts"
import { onlinePinAuthorizer } from "../issuer/online-pin-route.ts"
import { IssuerPinVerifier } from "../issuer/pin-verifier.ts"
import { offsetFor } from "../pin/ibm3624.ts"
import type { OnlineAuthorizer, OnlineRequest } from "../terminal/online-authorizer.ts"
import { runTransaction } from "../terminal/qpboc-kernel.ts"
import { type TerminalTransaction, TYPE_ECASH_LOAD, TYPE_PURCHASE } from "../terminal/terminal-data.ts"
import type { TerminalOutcome } from "../terminal/terminal-outcome.ts"
import type { StepResult } from "./management-steps.ts"
import { selectSw } from "./management-steps.ts"
import type { StoryContext } from "./story-context.ts"

export const OFFLINE_PURCHASE_FEN = 1_234
/** Above the e-cash single-transaction limit (9F78), so the purchase must go online. */
export const ONLINE_PURCHASE_FEN = 30_000
export const LOAD_FEN = 20_000
/** Above the reader's CVM-required limit, so the reader takes the PIN online (reader-cvm.ts). */
export const PIN_PURCHASE_FEN = 45_000
export const CVM_REQUIRED_LIMIT_FEN = 30_000
export const BLOCKING_PURCHASE_FEN = 100
/** The day of the story (9A), in the pilot's first phase. */
const STORY_DATE = "150801"

const transaction = (
  ctx: StoryContext,
  amountFen: number,
  kind: "offline" | "online" | "load",
): TerminalTransaction => ({
  amountFen,
  type: kind === "load" ? TYPE_ECASH_LOAD : TYPE_PURCHASE,
  dateYymmdd: STORY_DATE,
  unpredictableNumber: ctx.unpredictableNumber(4),
  path: kind === "offline" ? "qpboc" : "pboc",
  ecashSupported: kind === "offline",
  onlineRequired: kind === "load",
})

/** The bank's host: the issuer code with the story's master keys and a fixed decision. */
const issuerHost =
  (ctx: StoryContext, decide: (request: OnlineRequest) => IssuerDecision): OnlineAuthorizer =>
  (request) =>
    answerOnlineRequest(ctx.crypto, ctx.algorithm, ctx.keys.imks, request, decide(request))

const describe = (o: TerminalOutcome): string => {
  switch (o.kind) {
    case "approved-offline": {
      const checks =
        o.checks === undefined ? "" : `; fDDA ${o.checks.oda}, TVR ${o.checks.tvr}, TSI ${o.checks.tsi}`
      return `approved offline, ATC ${o.atc}, TC ${toHex(o.cryptogram)}, balance ${o.balanceAfterFen} fen${checks}`
    }
    case "approved-online": {
      const scripts = o.scriptSws.map((sw) => sw.toString(16).toUpperCase()).join(",")
      return `approved online, ATC ${o.atc}, ARQC ${toHex(o.arqc)}${o.tc === null ? "" : `, TC ${toHex(o.tc)}`}${scripts === "" ? "" : `, script SW ${scripts}`}`
    }
    case "declined":
      return `declined (${o.reason}), ATC ${o.atc}${o.checks === undefined ? "" : `, TVR ${o.checks.tvr}`}`
    case "card-blocked":
      return `card blocked (SW ${o.sw.toString(16).toUpperCase()})`
    case "error":
      return `error at ${o.step}: ${o.message} (SW ${o.sw.toString(16).toUpperCase()})`
  }
}

const approve = (): IssuerDecision => ({ approve: true, loadFen: null })

/** One issuer script, accepted by the card. */
const scriptAccepted = (o: TerminalOutcome): boolean =>
  o.kind === "approved-online" && o.scriptSws.length === 1 && o.scriptSws[0] === 0x9000

export const offlinePurchase = (ctx: StoryContext): StepResult => {
  const o = runTransaction(
    ctx.card,
    transaction(ctx, OFFLINE_PURCHASE_FEN, "offline"),
    issuerHost(ctx, approve),
    ctx.kernel,
  )
  const expected = ctx.data.balanceFen - OFFLINE_PURCHASE_FEN
  return { ok: o.kind === "approved-offline" && o.balanceAfterFen === expected, detail: describe(o) }
}

/** The standard path: EXTERNAL AUTHENTICATE with the ARPC, then the second GENERATE AC gives a TC. */
export const onlinePurchase = (ctx: StoryContext): StepResult => {
  const o = runTransaction(
    ctx.card,
    transaction(ctx, ONLINE_PURCHASE_FEN, "online"),
    issuerHost(ctx, approve),
  )
  return { ok: o.kind === "approved-online" && o.tc !== null, detail: describe(o) }
}

/** The bank debits the account and answers with PUT DATA 9F79 = the card's balance + the load. */
export const ecashLoad = (ctx: StoryContext): StepResult => {
  // A holder, not a `let`: the authorizer runs inside runTransaction, after this line.
  const seen: { beforeFen: number | null } = { beforeFen: null }
  const host = issuerHost(ctx, (request) => {
    seen.beforeFen = request.balanceBeforeFen
    return { approve: true, loadFen: LOAD_FEN }
  })
  const o = runTransaction(ctx.card, transaction(ctx, LOAD_FEN, "load"), host)
  const before = seen.beforeFen
  const balance = before === null ? "" : `; balance ${before} → ${before + LOAD_FEN} fen`
  return { ok: scriptAccepted(o), detail: `${describe(o)}${balance}` }
}

/**
 * A qPBOC purchase above the reader's CVM-required limit: the reader demands online + CVM in the
 * TTQ, the card answers an ARQC, the cardholder types the PIN, the reader sends it as an ISO 9564
 * format 0 block under its TPK, the acquirer HSM translates it to the ZPK, and the issuer checks it
 * against the IBM 3624 offset it stores before it verifies the ARQC (online-pin-route.ts).
 */
export const onlinePinPurchase = (ctx: StoryContext): StepResult => {
  const pin = ctx.pin
  if (pin === undefined) return { ok: false, detail: "no cardholder PIN in this context" }
  const pan = ctx.data.account.pan
  const verifier = new IssuerPinVerifier(
    ctx.crypto,
    pin.zpk,
    pin.pvk,
    new Map([[pan, offsetFor(ctx.crypto, pin.pvk, pan, pin.pin)]]),
  )
  const seen: string[] = []
  const authorize = onlinePinAuthorizer(
    ctx.crypto,
    ctx.algorithm,
    ctx.keys.imks,
    { tpk: pin.tpk, zpk: pin.zpk },
    verifier,
    (c) => seen.push(c),
  )
  const config = {
    crypto: ctx.crypto,
    ...(ctx.kernel?.caKeys === undefined ? {} : { caKeys: ctx.kernel.caKeys }),
    cvm: { cvmRequiredLimitFen: CVM_REQUIRED_LIMIT_FEN, pinKey: pin.tpk, enterPin: () => pin.pin },
  }
  const txn = { ...transaction(ctx, PIN_PURCHASE_FEN, "offline"), ecashSupported: false }
  const o = runTransaction(ctx.card, txn, authorize, config)
  const pinEntered =
    o.kind === "approved-online" &&
    o.checks !== undefined &&
    (Number.parseInt(o.checks.tvr.slice(4, 6), 16) & 0x04) !== 0
  return {
    ok: pinEntered && seen.join() === "ok",
    detail: `${describe(o)}; above the CVM limit of ${CVM_REQUIRED_LIMIT_FEN} fen: online PIN (ISO 9564-0, TPK → ZPK), issuer PIN check ${seen.join() || "none"}${o.kind === "approved-online" && o.checks !== undefined ? `, TVR ${o.checks.tvr}, TSI ${o.checks.tsi}` : ""}`,
  }
}

/** After a loss report the issuer answers the next online transaction with APPLICATION BLOCK. */
export const blockApplication = (ctx: StoryContext): StepResult => {
  const host = issuerHost(ctx, ({ atc, arqc }) => ({
    approve: true,
    loadFen: null,
    extraScripts: (sk) => [blockScript(ctx.crypto, ctx.algorithm, sk, { atc, arqc })],
  }))
  const o = runTransaction(ctx.card, transaction(ctx, BLOCKING_PURCHASE_FEN, "online"), host)
  if (!scriptAccepted(o)) return { ok: false, detail: describe(o) }
  const sw = selectSw(ctx, ctx.data.aid)
  return {
    ok: sw === 0x6283,
    detail: `${describe(o)}; SELECT now answers ${sw.toString(16).toUpperCase()}`,
  }
}
