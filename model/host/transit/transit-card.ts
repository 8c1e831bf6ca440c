/**
 * The 贵州通 transit application as data preparation sees it, issued onto a card beside the
 * bank's application (issue 16 item 5; pilot-apps.ts GZT_TRANSIT): a second instance of the PBOC
 * applet under the pure e-cash AID A000000333010106, labelled GUIZHOUTONG, whose e-cash is issued
 * by the card's bank (a co-branded transit account under the bank's BIN, so the bank's master
 * keys derive its keys and the bank pays its fares in clearing) and operated by 贵州通.
 *
 * The PPSE lists both applications with their application priority indicators 87 (EMV Book 1
 * §12.2.3, Contactless Book B §3.3): the bank's first (1), transit second (2). A shop's reader
 * that supports both takes the bank's; a bus validator, which supports only the transit AID,
 * takes the transit one (transit-reader.ts).
 */
import type { PbocCardData } from "../issuer/data-preparation.ts"
import { TRANSIT_AID } from "./transit-reader.ts"

export const TRANSIT_LABEL = "GUIZHOUTONG"
export const BANK_PRIORITY = 1
export const TRANSIT_PRIORITY = 2

/**
 * The transit instance's data for a bank card: its own account number in the bank's BIN (the
 * twin puts transit accounts at 9xxxxxxx after the 6-digit BIN), a small e-cash purse for fares.
 */
export const transitCardData = (bank: PbocCardData, transitPan: string): PbocCardData => ({
  ...bank,
  account: { pan: transitPan, psn: "00" },
  label: TRANSIT_LABEL,
  aid: TRANSIT_AID,
  balanceFen: 5_000,
  balanceLimitFen: 100_000,
  singleLimitFen: 1_000,
  resetThresholdFen: 0,
})

/** The two PPSE entries, bank first. */
export const ppseEntries = (bank: PbocCardData, transit: PbocCardData) => [
  { aid: bank.aid, label: bank.label, priority: BANK_PRIORITY },
  { aid: transit.aid, label: transit.label, priority: TRANSIT_PRIORITY },
]
