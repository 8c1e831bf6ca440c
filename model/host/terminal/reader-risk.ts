/**
 * The qPBOC reader's own risk management (EMV Contactless Book A §5 reader limits, Book 3 §10.6
 * terminal risk management, as the VCPS-derived qPBOC kernels apply them):
 * - reader contactless transaction limit: at or above it the transaction is not done contactless
 *   (the reader refuses before GPO and asks for another interface);
 * - reader floor limit: above it the reader demands an online cryptogram (TTQ byte 2 b8) and
 *   sets TVR "transaction exceeds floor limit";
 * - terminal exception file (hot list, by PAN): TVR "card on exception file"; an offline approval
 *   is turned into a decline, an ARQC goes online with the bit set.
 * Velocity checking (LCOL/UCOL) needs the card's counters, which qPBOC cards do not return; it is
 * not modelled here.
 */
import { TAG } from "../../card/applets/pboc/pboc-constants.ts"
import type { KernelChecks } from "./kernel-checks.ts"
import { TSI, TVR } from "./kernel-checks.ts"
import type { TerminalTransaction } from "./terminal-data.ts"

export interface ReaderRisk {
  readonly contactlessTransactionLimitFen: number
  readonly floorLimitFen: number
  /** PANs (digits) on the terminal exception file. */
  readonly exceptionFile: ReadonlySet<string>
}

const TTQ_ONLINE_REQUIRED = 0x80

export const overContactlessLimit = (risk: ReaderRisk, txn: TerminalTransaction): boolean =>
  txn.path === "qpboc" && txn.amountFen >= risk.contactlessTransactionLimitFen

/** Before GPO: the floor limit decides whether the reader demands an online cryptogram. */
export const applyFloorLimit = (
  risk: ReaderRisk,
  txn: TerminalTransaction,
  terminal: Map<number, Uint8Array>,
): boolean => {
  const ttq = terminal.get(TAG.ttq)
  if (txn.amountFen <= risk.floorLimitFen || ttq === undefined) return false
  ttq[1]! |= TTQ_ONLINE_REQUIRED
  return true
}

/** After the records: sets the TVR bits; true when the PAN is on the exception file. */
export const recordRisk = (
  checks: KernelChecks,
  risk: ReaderRisk,
  pan: string,
  overFloor: boolean,
): boolean => {
  checks.performed(TSI.terminalRiskManagementPerformed)
  if (overFloor) checks.set(TVR.floorLimitExceeded)
  const listed = risk.exceptionFile.has(pan)
  if (listed) checks.set(TVR.exceptionFile)
  return listed
}
