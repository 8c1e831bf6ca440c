/**
 * The issuer authorization host's decision as a pure function (issue 12 rule 1): the one rule
 * both the AuthorizationHost class (scenarios 02/03, byte-level cryptograms) and the pilot's
 * background payments (per-user typed arrays) call. The order is the host's: an unknown card is
 * refused before anything else; a cryptogram that does not verify is "do not honour"; a genuine
 * cryptogram whose ATC does not move forward is a cloned or replayed card (EMV Book 3 §10.5 and
 * PBOC 3.0 part 5 use the ATC for exactly this), which hot-lists it; then the hot list, the
 * single-transaction limit and the funds. The caller applies what the verdict implies
 * (`advancesAtc`, `hotListsCard`) to its own state: the function reads and changes nothing.
 */

/** What the host decided; integers so the background path allocates nothing per transaction. */
export const AUTH_VERDICT = {
  approved: 0,
  unknownCard: 1,
  badCryptogram: 2,
  atcReplay: 3,
  atcRegression: 4,
  hotListed: 5,
  exceedsLimit: 6,
  insufficientFunds: 7,
} as const
export type AuthVerdict = (typeof AUTH_VERDICT)[keyof typeof AUTH_VERDICT]

/** The verdicts' names, by value: error causes and reports use them. */
export const AUTH_VERDICT_NAMES: ReadonlyArray<string> = [
  "approved",
  "unknown-card",
  "bad-cryptogram",
  "atc-replay",
  "atc-regression",
  "hot-listed",
  "exceeds-limit",
  "insufficient-funds",
]

/**
 * The facts of one online request as the host sees them. Mutable so a hot path can fill one
 * scratch object per world instead of allocating one per transaction.
 */
export interface AuthFacts {
  /** The PAN is enrolled at this host. */
  known: boolean
  hotListed: boolean
  /** The highest ATC seen online for the card; −1 before its first online transaction. */
  lastOnlineAtc: number
  /** The customer's available deposit balance in fen. */
  balanceFen: number
  amountFen: number
  /**
   * The ATC the card sent with this request, or −1 for a request that carries no cryptogram
   * (remote banking: transfers, bills, enquiries), which has no ATC to check.
   */
  atc: number
  /**
   * The ARQC verified with the card's keys. A background flow carries no cryptogram: it passes
   * true and the host's service time already charges the verification (pilot capacity knob).
   */
  arqcValid: boolean
  /** The bank's single online transaction limit in fen. */
  singleLimitFen: number
}

export const decideAuthorization = (f: Readonly<AuthFacts>): AuthVerdict => {
  if (!f.known) return AUTH_VERDICT.unknownCard
  if (!f.arqcValid) return AUTH_VERDICT.badCryptogram
  if (f.atc >= 0 && f.atc <= f.lastOnlineAtc)
    return f.atc === f.lastOnlineAtc ? AUTH_VERDICT.atcReplay : AUTH_VERDICT.atcRegression
  if (f.hotListed) return AUTH_VERDICT.hotListed
  if (f.amountFen > f.singleLimitFen) return AUTH_VERDICT.exceedsLimit
  if (f.balanceFen < f.amountFen) return AUTH_VERDICT.insufficientFunds
  return AUTH_VERDICT.approved
}

/** A verified cryptogram with a forward ATC moves the card's last online ATC, approved or not. */
export const advancesAtc = (v: AuthVerdict): boolean =>
  v === AUTH_VERDICT.approved ||
  v === AUTH_VERDICT.hotListed ||
  v === AUTH_VERDICT.exceedsLimit ||
  v === AUTH_VERDICT.insufficientFunds

/** A genuine cryptogram with an ATC that does not move forward hot-lists the card (a clone). */
export const hotListsCard = (v: AuthVerdict): boolean =>
  v === AUTH_VERDICT.atcReplay || v === AUTH_VERDICT.atcRegression
