/**
 * How each transaction kind of the population's mix reaches the parties (issue 12 item 2), as a
 * table by mix index so the per-transaction path compares small integers, not strings:
 * - `offline`: qPBOC offline e-cash (purchase-offline, transit): the card approves against its
 *   e-cash; the acquirer presents the TC at clearing;
 * - `load`: 圈存, online at the card's own bank (deposit → e-cash float);
 * - `enquiry`: balance enquiry, loan application: the issuer's host answers, no money moves;
 * - `chipPurchase`: an online qPBOC/PBOC purchase with an ARQC (purchase-online);
 * - `remotePurchase`: bills and e-commerce paid from the account (no chip, no ATC);
 * - `transfer`: to a payee's bank (no chip; never stood in for, stand-in.ts covers purchases only).
 * And who receives the money: the merchant's acquirer, biller's or payee's bank, drawn per
 * transaction from the banks' weights by a hash of (user, the user's transaction number) — no
 * random stream per transaction, and the same draw whatever else the run does.
 */
import type { KindParams, PopulationParams, TransactionKind } from "../../../population/population-params.ts"

export const PAYMENT_KIND = {
  offline: 0,
  load: 1,
  enquiry: 2,
  chipPurchase: 3,
  remotePurchase: 4,
  transfer: 5,
} as const
export type PaymentKind = (typeof PAYMENT_KIND)[keyof typeof PAYMENT_KIND]

const KIND_OF: Readonly<Record<TransactionKind, PaymentKind>> = {
  "purchase-offline": PAYMENT_KIND.offline,
  transit: PAYMENT_KIND.offline,
  load: PAYMENT_KIND.load,
  "balance-inquiry": PAYMENT_KIND.enquiry,
  "loan-application": PAYMENT_KIND.enquiry,
  "purchase-online": PAYMENT_KIND.chipPurchase,
  "e-commerce": PAYMENT_KIND.remotePurchase,
  utility: PAYMENT_KIND.remotePurchase,
  transfer: PAYMENT_KIND.transfer,
}

/** The payment kind of each entry of the mix, by mix index. */
export const paymentKinds = (mix: ReadonlyArray<KindParams>): Uint8Array =>
  Uint8Array.from(mix.map((k) => KIND_OF[k.kind]))

/** Kinds whose money comes from the customer's deposit (the income model's spending). */
const FROM_DEPOSIT: ReadonlySet<PaymentKind> = new Set([
  PAYMENT_KIND.load,
  PAYMENT_KIND.chipPurchase,
  PAYMENT_KIND.remotePurchase,
  PAYMENT_KIND.transfer,
])

/**
 * The user's expected spending from the deposit per day at activity 1, in fen: the mix's mean
 * lognormal amount (median × e^(σ²/2), caps ignored, so it errs high) times the monthly rate.
 */
export const expectedDepositSpendFenPerDay = (p: PopulationParams): number => {
  let meanFen = 0
  for (const k of p.behaviour.mix)
    if (FROM_DEPOSIT.has(KIND_OF[k.kind]))
      meanFen += (k.countPermille / 1000) * k.amountFenMedian * Math.exp((k.amountSigma * k.amountSigma) / 2)
  return (meanFen * p.behaviour.transactionsPerUserPerMonth) / 30.4375
}

/** The largest single amount the mix can draw from a deposit (the opening deposit covers it). */
export const largestDepositAmountFen = (p: PopulationParams): number =>
  Math.max(0, ...p.behaviour.mix.filter((k) => FROM_DEPOSIT.has(KIND_OF[k.kind])).map((k) => k.amountFenMax))

/** A table of 2^16 entries mapping a 16-bit hash to a bank index by the banks' weights. */
export const bankPicker = (weights: ReadonlyArray<number>): Uint8Array => {
  const total = weights.reduce((a, b) => a + b, 0)
  const table = new Uint8Array(1 << 16)
  let bank = 0
  let acc = weights[0]!
  for (let i = 0; i < table.length; i++) {
    while ((i + 0.5) / table.length > acc / total && bank < weights.length - 1) acc += weights[++bank]!
    table[i] = bank
  }
  return table
}

/** A well-mixed 16-bit hash of (user, n) (the murmur3 finaliser's constants). */
export const hash16 = (user: number, n: number): number => {
  let h = Math.imul(user ^ Math.imul(n, 0x9e3779b1), 0x85ebca6b)
  h ^= h >>> 13
  h = Math.imul(h, 0xc2b2ae35)
  h ^= h >>> 16
  return h & 0xffff
}
