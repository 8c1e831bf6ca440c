/**
 * The qPBOC terminal kernel (JR/T 0025.12 as PROTOCOLS.md §2.2 summarizes it; EMV 4.3 Book 3 §10
 * for the standard path): PPSE → SELECT → [GET DATA 9F79 for a load] → GET PROCESSING OPTIONS →
 * READ RECORD per AFL → the card's decision → for online: the issuer, then on the standard path
 * EXTERNAL AUTHENTICATE, the second GENERATE AC and the issuer's scripts. The kernel talks to the
 * card only through `Card.transmit` bytes and returns a typed outcome.
 *
 * Given a KernelConfig (the terminal's CA public keys), the kernel also runs its checks on the
 * qPBOC answer — fDDA with the rules of kernel-checks.ts — and reports TVR and TSI; without one it
 * behaves as a reader that does not check (the worlds' background terminals).
 */
import { SW } from "../../apdu/status-words.ts"
import { concat } from "../../bytes/bytes.ts"
import { decodeN12 } from "../../card/applets/pboc/n12-amount.ts"
import { CID, TAG } from "../../card/applets/pboc/pboc-constants.ts"
import type { Card } from "../../card/card.ts"
import type { Crypto } from "../../crypto/crypto.ts"
import { encodeTlv, findTag, type Tlv } from "../../tlv/ber-tlv.ts"
import { buildDolData, parseDol } from "../../tlv/dol.ts"
import type { CaPublicKey } from "../oda/scheme-ca.ts"
import {
  aflRecords,
  chooseApplication,
  exchange,
  getDataCommand,
  gpoCommand,
  ppseCommand,
  readRecordCommand,
  responseTlvs,
  selectCommand,
} from "./card-dialogue.ts"
import { type CardFacts, onlineRequestOf } from "./card-facts.ts"
import { KernelChecks, runFdda } from "./kernel-checks.ts"
import type { OnlineAuthorizer } from "./online-authorizer.ts"
import { demandCvm, type ReaderCvm, withOnlinePin } from "./reader-cvm.ts"
import {
  applyFloorLimit,
  applyVelocity,
  overContactlessLimit,
  type ReaderRisk,
  readVelocity,
  recordRisk,
  type VelocityReading,
} from "./reader-risk.ts"
import { runStandardPath } from "./standard-path.ts"
import { type TerminalTransaction, TYPE_ECASH_LOAD, terminalData } from "./terminal-data.ts"
import type { KernelStep, TerminalOutcome } from "./terminal-outcome.ts"

/** What a checking terminal holds: its crypto and the scheme CA public keys (Book 2 §5.1). */
export interface KernelConfig {
  readonly crypto: Crypto
  /** Absent: a reader that does not perform offline data authentication. */
  readonly caKeys?: ReadonlyArray<CaPublicKey>
  /** Online PIN above the reader's CVM-required limit (reader-cvm.ts); absent = no CVM. */
  readonly cvm?: ReaderCvm
  /** Reader limits and exception file (reader-risk.ts); absent = no terminal risk management. */
  readonly risk?: ReaderRisk
  /** The AIDs this terminal supports (Book 1 §12.3.2); absent = every PPSE entry. */
  readonly applications?: ReadonlyArray<Uint8Array>
}

const fail = (step: KernelStep, sw: number, message: string): TerminalOutcome => ({
  kind: "error",
  step,
  sw,
  message,
})

export const runTransaction = (
  card: Card,
  txn: TerminalTransaction,
  authorize: OnlineAuthorizer,
  config?: KernelConfig,
): TerminalOutcome => {
  const ppse = exchange(card, "select-ppse", ppseCommand())
  if (!ppse.ok) return fail(ppse.failure.step, ppse.failure.sw, ppse.failure.message)
  if (ppse.response.sw !== SW.OK) return fail("select-ppse", ppse.response.sw, "PPSE not selectable")
  const aid = chooseApplication(responseTlvs(ppse.response.data) ?? [], config?.applications)
  if (aid === undefined) return fail("select-ppse", ppse.response.sw, "no application in the PPSE")
  const app = exchange(card, "select-application", selectCommand(aid))
  if (!app.ok) return fail(app.failure.step, app.failure.sw, app.failure.message)
  if (app.response.sw === SW.SELECTED_FILE_INVALIDATED) return { kind: "card-blocked", sw: app.response.sw }
  if (app.response.sw !== SW.OK)
    return fail("select-application", app.response.sw, "application not selectable")
  const pdol = parseDol(findTag(responseTlvs(app.response.data) ?? [], TAG.pdol)?.value ?? new Uint8Array(0))
  if (!pdol.ok) return fail("select-application", app.response.sw, "malformed PDOL")
  let balanceBeforeFen: number | null = null
  if (txn.type === TYPE_ECASH_LOAD) {
    const balance = readBalance(card)
    if (typeof balance !== "number") return balance
    balanceBeforeFen = balance
  }
  const terminal = terminalData(txn)
  const risk = config?.risk
  if (risk !== undefined && overContactlessLimit(risk, txn))
    return { kind: "declined", atc: null, reason: "over-contactless-limit", scriptSws: [] }
  const overFloor = risk !== undefined && applyFloorLimit(risk, txn, terminal)
  const velocity = risk?.checkVelocity === true ? readVelocity(card) : undefined
  if (velocity !== undefined) applyVelocity(velocity, txn, terminal)
  const cvmRequired = config?.cvm !== undefined && demandCvm(config.cvm, txn, terminal)
  const gpo = exchange(card, "gpo", gpoCommand(buildDolData(pdol.value, (tag) => terminal.get(tag))))
  if (!gpo.ok) return fail(gpo.failure.step, gpo.failure.sw, gpo.failure.message)
  if (gpo.response.sw !== SW.OK) return fail("gpo", gpo.response.sw, "GET PROCESSING OPTIONS refused")
  return afterGpo(card, gpo.response.data, {
    aid,
    terminal,
    balanceBeforeFen,
    authorize,
    config,
    cvmRequired,
    overFloor,
    velocity,
  })
}

const panOf = (facts: CardFacts): string =>
  onlineRequestOf(facts, "qpboc", 0, new Uint8Array(0), new Uint8Array(0)).pan

interface AfterGpo {
  readonly aid: Uint8Array
  readonly terminal: Map<number, Uint8Array>
  readonly balanceBeforeFen: number | null
  readonly authorize: OnlineAuthorizer
  readonly config: KernelConfig | undefined
  readonly cvmRequired: boolean
  readonly overFloor: boolean
  readonly velocity: VelocityReading | undefined
}

/** GET DATA 9F79 before a load, so the issuer can compute the new balance from the card's own. */
const readBalance = (card: Card): number | TerminalOutcome => {
  const got = exchange(card, "get-data", getDataCommand(TAG.balance))
  if (!got.ok) return fail(got.failure.step, got.failure.sw, got.failure.message)
  const value = findTag(responseTlvs(got.response.data) ?? [], TAG.balance)?.value
  const fen = value === undefined ? undefined : decodeN12(value)
  if (got.response.sw !== SW.OK || fen === undefined || !fen.ok)
    return fail("get-data", got.response.sw, "no balance")
  return fen.value
}

const afterGpo = (card: Card, data: Uint8Array, at: AfterGpo): TerminalOutcome => {
  const items = responseTlvs(data)
  const format1 = items?.length === 1 && items[0]!.tag === TAG.format1 ? items[0]!.value : undefined
  const format2 = items === undefined ? undefined : findTag(items, TAG.format2)?.children
  if (format1 === undefined && format2 === undefined)
    return fail("gpo", SW.OK, "GPO response is neither 80 nor 77")
  const aip = format1?.slice(0, 2) ?? findTag(format2!, TAG.aip)?.value
  const afl = format1?.slice(2) ?? findTag(format2!, TAG.afl)?.value
  if (aip === undefined || aip.length !== 2 || afl === undefined)
    return fail("gpo", SW.OK, "GPO lacks AIP or AFL")
  const records: Tlv[] = []
  const signed: Uint8Array[] = []
  for (const [sfi, record, forOda] of aflRecords(afl)) {
    const read = exchange(card, "read-record", readRecordCommand(sfi, record))
    if (!read.ok) return fail(read.failure.step, read.failure.sw, read.failure.message)
    const tlvs = responseTlvs(read.response.data)
    if (read.response.sw !== SW.OK || tlvs === undefined)
      return fail("read-record", read.response.sw, "record")
    records.push(...tlvs)
    // Book 3 §10.3: for SFI 1-10 the static data is the record's value inside its 70 template.
    if (forOda) signed.push(encodeTlv(findTag(tlvs, TAG.record)?.children ?? []))
  }
  const facts: CardFacts = { terminal: at.terminal, aip, records, balanceBeforeFen: at.balanceBeforeFen }
  const caKeys = at.config?.caKeys
  // 9F4A = 82: the AIP closes the static data (Book 3 §10.3).
  const tagList = findTag(records, TAG.staticTagList)?.value
  const staticData = concat(
    ...signed,
    tagList?.length === 1 && tagList[0] === TAG.aip ? aip : new Uint8Array(0),
  )
  const oda =
    caKeys === undefined || at.config === undefined
      ? undefined
      : {
          crypto: at.config.crypto,
          caKeys,
          aid: at.aid,
          records,
          staticData,
          terminal: at.terminal,
          pan: panOf(facts),
        }
  if (format2 === undefined) return runStandardPath(card, facts, at.authorize, at.config, oda)
  const checks = at.config === undefined ? undefined : new KernelChecks()
  const odaOk = oda === undefined || checks === undefined ? true : runFdda(checks, oda, aip, format2)
  const risk = at.config?.risk
  const listed =
    checks !== undefined &&
    risk !== undefined &&
    recordRisk(checks, risk, panOf(facts), at.overFloor, at.velocity)
  const online = at.cvmRequired && at.config?.cvm !== undefined && checks !== undefined
  const authorize = online ? withOnlinePin(at.config!, checks!, at.authorize) : at.authorize
  return qpbocDecision(format2, facts, authorize, checks, odaOk, listed)
}

/** The card decided at GPO (qPBOC): offline TC, AAC, or an ARQC the issuer must answer. */
const qpbocDecision = (
  objects: ReadonlyArray<Tlv>,
  facts: CardFacts,
  authorize: OnlineAuthorizer,
  checks: KernelChecks | undefined,
  odaOk: boolean,
  onExceptionFile: boolean,
): TerminalOutcome => {
  // A function: the online PIN step sets its bits while the authorizer runs.
  const report = () => (checks === undefined ? {} : { checks: checks.report() })
  const cid = findTag(objects, TAG.cid)?.value[0]
  const atcBytes = findTag(objects, TAG.atc)?.value
  const ac = findTag(objects, TAG.ac)?.value
  const iad = findTag(objects, TAG.iad)?.value
  if (cid === undefined || atcBytes?.length !== 2 || ac === undefined || iad === undefined) {
    return fail("gpo", SW.OK, "qPBOC response lacks CID, ATC, AC or IAD")
  }
  const atc = (atcBytes[0]! << 8) | atcBytes[1]!
  const kind = cid & 0xc0
  if (kind === CID.tc) {
    // kernel-checks.ts: no offline approval without a successful fDDA.
    if (!odaOk) return { kind: "declined", atc, reason: "oda-failed", scriptSws: [], ...report() }
    const tcData = onlineRequestOf(facts, "qpboc", atc, iad, ac)
    if (onExceptionFile)
      return { kind: "declined", atc, reason: "exception-file", pan: tcData.pan, scriptSws: [], ...report() }
    const left = findTag(objects, TAG.availableOffline)?.value
    const fen = left === undefined ? undefined : decodeN12(left)
    const balanceAfterFen = fen?.ok ? fen.value : null
    return { kind: "approved-offline", atc, balanceAfterFen, cryptogram: ac, tcData, ...report() }
  }
  if (kind !== CID.arqc) return { kind: "declined", atc, reason: "card-aac", scriptSws: [], ...report() }
  const reply = authorize(onlineRequestOf(facts, "qpboc", atc, iad, ac))
  if (reply === null)
    return { kind: "declined", atc, reason: "no-issuer-response", scriptSws: [], ...report() }
  if (!reply.approved) return { kind: "declined", atc, reason: "issuer-declined", scriptSws: [], ...report() }
  return { kind: "approved-online", atc, scriptSws: [], arqc: ac, tc: null, ...report() }
}
