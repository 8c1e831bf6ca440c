/**
 * The online-banking loan decision, the twin's profile "TWIN-CREDIT-1". Banks' scoring models are
 * not public; this rule is a documented stand-in with the inputs a 2015 consumer-loan desk used:
 * an income proxy (the deposit the applicant holds with the bank, since the twin has no payroll
 * data), the applicant's existing debt to the bank, the amount, and a bureau score (the PBOC
 * credit reference centre's record is outside the twin, so it is a draw from the seeded stream).
 * In order:
 * 1. an amount above `amountFenMax` is declined `over-cap`;
 * 2. when existing loans plus the amount exceed `debtToDepositMax` × the deposit, `over-indebted`;
 * 3. otherwise the bureau draw (0-999) must reach a threshold that rises with the amount's share
 *    of the deposit: 100 + 400 × min(1, amount / deposit) — `bureau-score` below it.
 * Deterministic given the stream; the caller names the stream per application.
 */
import type { Stream } from "../../../sim/kernel/port.ts"

export interface LoanApplication {
  readonly amountFen: number
  /** The applicant's deposit at this bank now (the income proxy). */
  readonly depositFen: number
  /** Loans this bank already granted the applicant, outstanding. */
  readonly outstandingFen: number
}

export type LoanDecision =
  | { readonly approved: true; readonly score: number }
  | { readonly approved: false; readonly reason: "over-cap" | "over-indebted" | "bureau-score" }

export interface CreditPolicy {
  /** Largest online loan (assumption: 50,000 yuan, the seed's self-service range). */
  readonly amountFenMax: number
  /** Debt the bank lends up to, as a multiple of the deposit (assumption: 3). */
  readonly debtToDepositMax: number
}

export const TWIN_CREDIT_POLICY: CreditPolicy = { amountFenMax: 5_000_000, debtToDepositMax: 3 }

export const decideLoan = (policy: CreditPolicy, a: LoanApplication, bureau: Stream): LoanDecision => {
  if (!(Number.isSafeInteger(a.amountFen) && a.amountFen > 0)) throw new RangeError(`loan ${a.amountFen}`)
  if (a.amountFen > policy.amountFenMax) return { approved: false, reason: "over-cap" }
  if (a.outstandingFen + a.amountFen > policy.debtToDepositMax * a.depositFen)
    return { approved: false, reason: "over-indebted" }
  const score = bureau.below(1000)
  const share = a.depositFen === 0 ? 1 : Math.min(1, a.amountFen / a.depositFen)
  const threshold = 100 + Math.floor(400 * share)
  return score >= threshold ? { approved: true, score } : { approved: false, reason: "bureau-score" }
}
