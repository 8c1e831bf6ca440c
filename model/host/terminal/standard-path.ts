/**
 * The standard debit/credit path after READ RECORD (EMV 4.3 Book 3 §10.8-§10.10): the first
 * GENERATE AC asking for an ARQC, the issuer round trip, EXTERNAL AUTHENTICATE with the ARPC, the
 * second GENERATE AC (TC if the issuer approved and the card accepted the ARPC, AAC otherwise),
 * then the issuer's scripts. The card's answer to the second GENERATE AC is the verdict.
 */
import { encodeCommand } from "../../apdu/command.ts"
import { SW } from "../../apdu/status-words.ts"
import { concat } from "../../bytes/bytes.ts"
import { toHex } from "../../bytes/hex.ts"
import { AC_TYPE, CID, TAG } from "../../card/applets/pboc/pboc-constants.ts"
import type { Card } from "../../card/card.ts"
import type { Crypto } from "../../crypto/crypto.ts"
import { findTag, type Tlv } from "../../tlv/ber-tlv.ts"
import { buildDolData, parseDol } from "../../tlv/dol.ts"
import { exchange, externalAuthenticateCommand, generateAcCommand, responseTlvs } from "./card-dialogue.ts"
import { type CardFacts, onlineRequestOf } from "./card-facts.ts"
import { decodeCvmList } from "./cvm-list.ts"
import { processCvm, withPinBlock } from "./cvm-processing.ts"
import { KernelChecks, type OdaContext, TSI, TVR } from "./kernel-checks.ts"
import type { OnlineAuthorizer } from "./online-authorizer.ts"
import type { ReaderCvm } from "./reader-cvm.ts"
import { runStandardOda } from "./standard-oda.ts"
import type { KernelStep, TerminalOutcome } from "./terminal-outcome.ts"

/** ARC "Z3": unable to go online, declined (Book 4 §A6). */
const ARC_UNABLE_ONLINE = new Uint8Array([0x5a, 0x33])

const fail = (step: KernelStep, sw: number, message: string): TerminalOutcome => ({
  kind: "error",
  step,
  sw,
  message,
})

interface AcAnswer {
  readonly cid: number
  readonly atc: number
  readonly ac: Uint8Array
  readonly iad: Uint8Array
}

const generateAc = (
  card: Card,
  step: KernelStep,
  p1: number,
  dolData: Uint8Array,
): AcAnswer | TerminalOutcome => {
  const got = exchange(card, step, generateAcCommand(p1, dolData))
  if (!got.ok) return fail(got.failure.step, got.failure.sw, got.failure.message)
  if (got.response.sw !== SW.OK) return fail(step, got.response.sw, "GENERATE AC refused")
  const objects = findTag(responseTlvs(got.response.data) ?? [], TAG.format2)?.children ?? []
  const cid = findTag(objects, TAG.cid)?.value[0]
  const atc = findTag(objects, TAG.atc)?.value
  const ac = findTag(objects, TAG.ac)?.value
  const iad = findTag(objects, TAG.iad)?.value
  if (cid === undefined || atc?.length !== 2 || ac === undefined || iad === undefined) {
    return fail(step, got.response.sw, "GENERATE AC response lacks CID, ATC, AC or IAD")
  }
  return { cid, atc: (atc[0]! << 8) | atc[1]!, ac, iad }
}

const dolFromRecords = (records: ReadonlyArray<Tlv>, tag: number) => {
  const parsed = parseDol(findTag(records, tag)?.value ?? new Uint8Array(0))
  return parsed.ok ? parsed.value : []
}

/** AIP byte 1 b5: cardholder verification is supported (Book 3 Annex C1). */
const AIP_CVM = 0x10

/**
 * Book 3 §10.5 before the first GENERATE AC, at a terminal with a PIN pad, for a card that
 * supports CVM and carries a list; the TVR it sets goes into the CDOL1 data, so the ARQC covers it.
 */
const standardCvm = (
  card: Card,
  facts: CardFacts,
  checks: KernelChecks,
  authorize: OnlineAuthorizer,
  config: StandardPathConfig | undefined,
): { readonly authorize: OnlineAuthorizer; readonly cvmResults: string } | undefined => {
  const list = decodeCvmList(findTag(facts.records, TAG.cvmList)?.value ?? new Uint8Array(0))
  if (config?.cvm === undefined || (facts.aip[0]! & AIP_CVM) === 0 || list === undefined) return undefined
  const done = processCvm(card, config.cvm, checks, list, facts.terminal)
  facts.terminal.set(TAG.tvr, checks.tvr.slice())
  const pin = done.onlinePin
  return {
    authorize: pin === null ? authorize : withPinBlock(config.crypto, config.cvm.pinKey, pin, authorize),
    cvmResults: toHex(done.cvmResults),
  }
}

export interface StandardPathConfig {
  readonly crypto: Crypto
  readonly cvm?: ReaderCvm
}

export const runStandardPath = (
  card: Card,
  facts: CardFacts,
  authorizer: OnlineAuthorizer,
  config?: StandardPathConfig,
  oda?: OdaContext,
): TerminalOutcome => {
  const terminal = facts.terminal
  const checks = new KernelChecks()
  if (oda !== undefined) runStandardOda(card, checks, oda, facts.aip)
  const cvm = standardCvm(card, facts, checks, authorizer, config)
  if (oda !== undefined) terminal.set(TAG.tvr, checks.tvr.slice())
  const authorize = cvm?.authorize ?? authorizer
  const first = generateAc(
    card,
    "generate-ac-1",
    AC_TYPE.arqc,
    buildDolData(dolFromRecords(facts.records, TAG.cdol1), (t) => terminal.get(t)),
  )
  if (!("cid" in first)) return first
  if ((first.cid & 0xc0) !== CID.arqc)
    return {
      kind: "declined",
      atc: first.atc,
      reason: "card-aac",
      scriptSws: [],
      ...(cvm === undefined && oda === undefined
        ? {}
        : { checks: { ...checks.report(), ...(cvm === undefined ? {} : { cvmResults: cvm.cvmResults }) } }),
    }
  const reply = authorize(onlineRequestOf(facts, "pboc", first.atc, first.iad, first.ac))
  let issuerAuthOk = false
  let arc = ARC_UNABLE_ONLINE
  if (reply?.issuerAuthenticationData != null) {
    arc = reply.issuerAuthenticationData.slice(8, 10)
    const ext = exchange(
      card,
      "external-authenticate",
      externalAuthenticateCommand(reply.issuerAuthenticationData),
    )
    if (!ext.ok) return fail(ext.failure.step, ext.failure.sw, ext.failure.message)
    issuerAuthOk = ext.response.sw === SW.OK
  }
  terminal.set(TAG.arc, arc)
  const wantTc = reply?.approved === true && issuerAuthOk
  const cdol2Data = buildDolData(dolFromRecords(facts.records, TAG.cdol2), (t) => terminal.get(t))
  const second = generateAc(card, "generate-ac-2", wantTc ? AC_TYPE.tc : AC_TYPE.aac, cdol2Data)
  if (!("cid" in second)) return second
  const scriptSws = (reply?.scripts ?? []).map((script) => {
    const bytes = card.transmit(encodeCommand(script))
    return bytes.length >= 2 ? (bytes[bytes.length - 2]! << 8) | bytes[bytes.length - 1]! : 0
  })
  const scriptResults = scriptSws.length === 0 ? undefined : scriptReport(scriptSws, checks)
  const report = () =>
    cvm === undefined && scriptResults === undefined && oda === undefined
      ? {}
      : { checks: { ...checks.report(), ...(cvm === undefined ? {} : { cvmResults: cvm.cvmResults }) } }
  const scripts = { ...(scriptResults === undefined ? {} : { scriptResults }), ...report() }
  if ((second.cid & 0xc0) === CID.tc) {
    return { kind: "approved-online", atc: second.atc, scriptSws, arqc: first.ac, tc: second.ac, ...scripts }
  }
  const reason =
    reply === null
      ? "no-issuer-response"
      : !reply.approved
        ? "issuer-declined"
        : "issuer-authentication-failed"
  return { kind: "declined", atc: second.atc, reason, scriptSws, ...scripts }
}

/**
 * Book 3 §10.10 and Annex A "Issuer Script Results" 9F5B: per command, byte 1 = result (b8-b5:
 * 1 failed, 2 successful) ‖ sequence number (b4-b1, from 1, 0 past 14), bytes 2-5 the script
 * identifier 9F18 (zeros: the twin's scripts carry none). SW1 90, 62 or 63 counts as processed.
 * A failure sets TVR byte 5 b5 "script processing failed after final GENERATE AC"; TSI byte 1 b3
 * "script processing performed" either way. The terminal sends 9F5B with the transaction's
 * clearing data; the card reports the same failure in its next CVR (pboc-script.ts).
 */
export const scriptReport = (sws: ReadonlyArray<number>, checks: KernelChecks): string => {
  checks.performed(TSI.scriptProcessingPerformed)
  const results = sws.map((sw, i) => {
    const ok = [0x90, 0x62, 0x63].includes(sw >> 8)
    if (!ok) checks.set(TVR.scriptFailedAfterFinalAc)
    return Uint8Array.of(((ok ? 2 : 1) << 4) | (i < 14 ? i + 1 : 0), 0, 0, 0, 0)
  })
  return toHex(concat(...results))
}
