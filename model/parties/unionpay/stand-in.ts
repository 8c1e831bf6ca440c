/**
 * UnionPay's stand-in processing (STIP) as the twin's profile, "TWIN-STIP-1". When an issuer host
 * does not answer within the switch's timeout, or cannot be reached at all, CUPS-style switches
 * approve on the issuer's behalf within limits the issuer agreed to, and tell the issuer afterwards
 * with an advice (the ISO 8583 0120 concept) that the issuer must post. UnionPay's real stand-in
 * parameters are not public, so the twin's are:
 * - only purchases stand in (a 圈存 load needs the issuer's ARPC and script, so it never does);
 * - per card and per clearing day, at most `countMax` stand-in approvals totalling at most
 *   `amountFenMax`; the counters reset at each cut-off;
 * - the switch holds no card keys, so the ARQC is not verified: every stand-in approval carries
 *   the risk `arqc-unverified`, and the issuer bears it (it posts the advice even if it would
 *   have declined: a shortfall goes to its `standin-receivable`, a claim on the cardholder);
 * - above the limits the switch declines 91 (issuer unavailable), as without stand-in.
 * The advice is kept in a store-and-forward queue and resent every `adviceRetryUs` until the
 * issuer acknowledges it; the acquirer's clearing record waits for it (clearing-house.ts).
 */

export interface StandInLimits {
  /** Stand-in approvals per card per clearing day (assumption: 3). */
  readonly countMax: number
  /** Cumulative stand-in amount per card per clearing day, in fen (assumption: 2,000 yuan). */
  readonly amountFenMax: number
  /** Advice resend interval while the issuer is unreachable (assumption: 5 minutes). */
  readonly adviceRetryUs: number
  /** Advice sends before the switch gives up (a bound; 2,016 × 5 min = 7 days). */
  readonly adviceAttemptsMax: number
}

export const TWIN_STIP_LIMITS: StandInLimits = {
  countMax: 3,
  amountFenMax: 200_000,
  adviceRetryUs: 300_000_000,
  adviceAttemptsMax: 2_016,
}

/**
 * Whether the switch may stand in for an unreachable issuer (the TWIN-STIP-1 rule as a pure
 * function, issue 12 rule 1): a purchase whose card has used `usedCount` stand-ins worth
 * `usedFen` this clearing day. Both StandInBook (scenario 03's switch) and the pilot's background
 * payments (model/world/pilot/payments/) decide with it.
 */
export const mayStandIn = (
  limits: StandInLimits,
  purchase: boolean,
  usedCount: number,
  usedFen: number,
  amountFen: number,
): boolean => purchase && usedCount + 1 <= limits.countMax && usedFen + amountFen <= limits.amountFenMax

/** The per-card counters of one clearing day. */
export class StandInBook {
  private readonly used = new Map<string, { count: number; fen: number }>()

  constructor(readonly limits: StandInLimits) {
    if (!(limits.countMax >= 0 && limits.amountFenMax >= 0 && limits.adviceRetryUs > 0))
      throw new RangeError("stand-in limits must be non-negative, the retry positive")
  }

  /** Takes `amountFen` from the card's allowance when it fits; false (nothing taken) otherwise. */
  take(pan: string, amountFen: number): boolean {
    const u = this.used.get(pan) ?? { count: 0, fen: 0 }
    if (!mayStandIn(this.limits, true, u.count, u.fen, amountFen)) return false
    this.used.set(pan, { count: u.count + 1, fen: u.fen + amountFen })
    return true
  }

  /** The cut-off: a new clearing day starts with fresh allowances. */
  newDay(): void {
    this.used.clear()
  }
}
