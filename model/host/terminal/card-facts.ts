/**
 * What the kernel learned from the card before its decision (GPO, records), and the
 * authorisation request built from it for the issuer.
 */
import { TAG } from "../../card/applets/pboc/pboc-constants.ts"
import { findTag, type Tlv } from "../../tlv/ber-tlv.ts"
import type { OnlineRequest } from "./online-authorizer.ts"

/** What the kernel learned from the card before the decision. */
export interface CardFacts {
  readonly terminal: Map<number, Uint8Array>
  readonly aip: Uint8Array
  /** All objects of all records read. */
  readonly records: ReadonlyArray<Tlv>
  readonly balanceBeforeFen: number | null
}

/** The authorisation request the issuer sees: what the card and terminal produced. */
export const onlineRequestOf = (
  facts: CardFacts,
  path: "qpboc" | "pboc",
  atc: number,
  iad: Uint8Array,
  arqc: Uint8Array,
): OnlineRequest => {
  const pan = findTag(facts.records, TAG.pan)?.value ?? new Uint8Array(0)
  const psn = findTag(facts.records, TAG.psn)?.value
  const panDigits = Array.from(pan, (b) => b.toString(16).padStart(2, "0"))
    .join("")
    .replace(/f+$/i, "")
  return {
    path,
    pan: panDigits,
    psn: psn === undefined ? null : psn[0]!.toString(16).padStart(2, "0"),
    terminal: facts.terminal,
    aip: facts.aip,
    atc,
    iad,
    arqc,
    balanceBeforeFen: facts.balanceBeforeFen,
  }
}
