/**
 * The transient (RAM) state of one selection of the PBOC applet: where the transaction is in the
 * EMV flow (EMV 4.3 Book 3 §10) and what the card must remember between commands of one
 * transaction (the ARQC and its session key for issuer authentication and issuer scripts).
 * Dropped on deselect and reset, as Java Card transient arrays are.
 */

export type AcKind = "aac" | "tc" | "arqc"

export interface PbocSession {
  /** none: before GPO; qpboc: GPO answered on the qPBOC path; pboc: the standard debit/credit path. */
  path: "none" | "qpboc" | "pboc"
  /** ATC of the transaction in progress (set by GPO), -1 before it. */
  atc: number
  /** Terminal data from the PDOL (qPBOC) or CDOL1 (first GENERATE AC). */
  terminal: Map<number, Uint8Array>
  /** GENERATE AC commands answered in this transaction (0, 1 or 2). */
  gacCount: number
  firstAc: AcKind | null
  secondAc: "aac" | "tc" | null
  /** The ARQC of this transaction, which issuer scripts' MACs and SK-SMI are bound to. */
  arqc: Uint8Array | null
  /** Session key SK-AC, kept to check the ARPC (method 1 is keyed with it, see pboc-online.ts). */
  skAc: Uint8Array | null
  issuerAuth: "none" | "ok" | "failed"
  /** Card risk management sent this transaction online past UCOL (CVR byte 3 b6). */
  velocityExceeded: boolean
}

export const newPbocSession = (): PbocSession => ({
  path: "none",
  atc: -1,
  terminal: new Map(),
  gacCount: 0,
  firstAc: null,
  secondAc: null,
  arqc: null,
  skAc: null,
  issuerAuth: "none",
  velocityExceeded: false,
})
