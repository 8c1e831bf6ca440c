/**
 * A 贵州通 bus validator: an offline-only qPBOC reader that knows one application, the transit
 * e-cash AID (A000000333010106, model/world/issuance/pilot-apps.ts), charges the flat fare of its
 * route (fare-table.ts), checks fDDA when it holds the scheme CA keys, refuses cards on the
 * operator's blacklist, and journals every fare for the day's batch upload (transit-batch.ts).
 *
 * It runs the same terminal kernel as a shop's reader (qpboc-kernel.ts) with:
 * - the candidate list limited to the transit AID, so it selects the transit application from a
 *   PPSE that ranks the bank's application first (Book 1 §12.3.2);
 * - TTQ "offline only": there is no network on the bus, so a card that will not approve offline
 *   answers AAC and the fare is refused;
 * - the blacklist as the kernel's exception file: a listed card's TC is not honoured and the
 *   refusal names the PAN. qPBOC lets the card decide and debit at GPO before the reader has read
 *   the PAN from the records, so the listed card's own balance has already gone down; the reader
 *   uploads nothing for it, and the amount stays with the card's issuer, to be refunded with the
 *   rest of the balance when the reported card is closed (销户).
 */
import { PBOC_AID } from "../../card/applets/pboc/pboc-constants.ts"
import type { Card } from "../../card/card.ts"
import type { Crypto } from "../../crypto/crypto.ts"
import type { CaPublicKey } from "../oda/scheme-ca.ts"
import { runTransaction } from "../terminal/qpboc-kernel.ts"
import { TYPE_PURCHASE } from "../terminal/terminal-data.ts"
import type { TerminalOutcome } from "../terminal/terminal-outcome.ts"
import { fareFen, type TransitRoute } from "./fare-table.ts"
import { type TransitRecord, transitRecordOf } from "./transit-record.ts"

/** The transit application: PBOC pure e-cash (pilot-apps.ts GZT_TRANSIT). */
export const TRANSIT_AID = PBOC_AID.ecash
/** Bounds of one reader's day: a bus validator's journal holds at most this many fares. */
export const JOURNAL_RECORDS_MAX = 20_000

export interface TransitReaderOptions {
  readonly readerId: string
  readonly route: TransitRoute
  readonly crypto: Crypto
  /** Scheme CA public keys for fDDA; absent = a reader that does not check ODA. */
  readonly caKeys?: ReadonlyArray<CaPublicKey>
  /** PANs the operator has blacklisted (lost, stolen or closed cards). */
  readonly blacklist: ReadonlySet<string>
}

export interface Tap {
  /** Transaction date 9A, YYMMDD. */
  readonly dateYymmdd: string
  /** 4 bytes from the caller's seeded stream. */
  readonly unpredictableNumber: Uint8Array
}

export type TapRefusal =
  | "blacklisted"
  | "card-declined"
  | "oda-failed"
  | "card-blocked"
  | "journal-full"
  | "error"

export type TapOutcome =
  | {
      readonly kind: "paid"
      readonly fareFen: number
      readonly balanceAfterFen: number | null
      readonly record: TransitRecord
    }
  | { readonly kind: "refused"; readonly reason: TapRefusal; readonly detail: string }

/** Book 3 Annex C5 values for the refusal's detail. */
const refusalOf = (o: Exclude<TerminalOutcome, { kind: "approved-offline" }>): TapOutcome => {
  const tvr = "checks" in o && o.checks !== undefined ? `, TVR ${o.checks.tvr}` : ""
  if (o.kind === "declined" && o.reason === "exception-file")
    return { kind: "refused", reason: "blacklisted", detail: `PAN ${o.pan ?? "?"} on the blacklist${tvr}` }
  if (o.kind === "declined" && o.reason === "oda-failed")
    return { kind: "refused", reason: "oda-failed", detail: `fDDA failed${tvr}` }
  if (o.kind === "declined")
    return { kind: "refused", reason: "card-declined", detail: `card declined offline (${o.reason})${tvr}` }
  if (o.kind === "card-blocked")
    return { kind: "refused", reason: "card-blocked", detail: "application blocked" }
  if (o.kind === "error") return { kind: "refused", reason: "error", detail: `${o.step}: ${o.message}` }
  return { kind: "refused", reason: "error", detail: `unexpected ${o.kind} at an offline-only reader` }
}

export class TransitReader {
  private journal: TransitRecord[] = []
  private seq = 0

  constructor(readonly options: TransitReaderOptions) {}

  /** One boarding: the fare as an offline e-cash purchase on the card's transit application. */
  tap(card: Card, tap: Tap): TapOutcome {
    if (this.journal.length >= JOURNAL_RECORDS_MAX)
      return { kind: "refused", reason: "journal-full", detail: "upload the day's batch first" }
    const o = this.options
    const fare = fareFen(o.route)
    const outcome = runTransaction(
      card,
      {
        amountFen: fare,
        type: TYPE_PURCHASE,
        dateYymmdd: tap.dateYymmdd,
        unpredictableNumber: tap.unpredictableNumber,
        path: "qpboc",
        ecashSupported: true,
        onlineRequired: false,
        offlineOnly: true,
      },
      // No network on the bus: nothing goes online.
      () => null,
      {
        crypto: o.crypto,
        ...(o.caKeys === undefined ? {} : { caKeys: o.caKeys }),
        risk: {
          contactlessTransactionLimitFen: Number.MAX_SAFE_INTEGER,
          floorLimitFen: Number.MAX_SAFE_INTEGER,
          exceptionFile: o.blacklist,
        },
        applications: [TRANSIT_AID],
      },
    )
    if (outcome.kind !== "approved-offline") return refusalOf(outcome)
    const record = transitRecordOf(o.readerId, ++this.seq, o.route.id, fare, outcome.tcData)
    this.journal.push(record)
    return { kind: "paid", fareFen: fare, balanceAfterFen: outcome.balanceAfterFen, record }
  }

  /** The day's fares, handed over for the batch upload; the journal starts empty again. */
  closeDay(): ReadonlyArray<TransitRecord> {
    const day = this.journal
    this.journal = []
    return day
  }
}
