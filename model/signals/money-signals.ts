/**
 * What the money parties emit for the recorder and the money audit (DESIGN.md §2: parties →
 * recorder; §3: the audit reads signals only). Every amount is integer fen (分). The audit
 * recomputes balances from these signals instead of trusting the parties' ledgers (TigerBeetle's
 * auditor), so each signal carries the full change, not a summary.
 */

export const MONEY_SIGNAL = {
  /** A double-entry posting applied to one bank's ledger. */
  posting: "money.posting",
  /** A change of e-cash on a card, as the card itself reported it (9F5D, or the load script). */
  ecash: "money.ecash",
  /** A step in an online authorization's life. */
  auth: "money.auth",
  /** A step in an offline e-cash TC's life, from the terminal to the issuer. */
  tc: "money.tc",
  /** One finished flow (purchase, load, transfer, ...), for per-kind counts and values. */
  flow: "money.flow",
  /** A clearing cycle: net positions per bank. */
  clearing: "money.clearing",
  /** A discrepancy reconciliation found, or a 差错 case opened or closed. */
  discrepancy: "money.discrepancy",
  /** A card the issuer host flagged (ATC replay or regression: a clone). */
  fraud: "money.fraud",
  /** An escrow (交易担保) hold, and its release to the seller or refund to the buyer. */
  escrow: "money.escrow",
  /** A UnionPay stand-in approval and, later, the issuer posting its advice. */
  standIn: "money.stand-in",
} as const

/** Assets sit on the debit side; a posting is balanced when Σ asset deltas = Σ liability deltas. */
export type AccountSide = "asset" | "liability"

export interface PostingLeg {
  readonly account: string
  readonly side: AccountSide
  readonly deltaFen: number
}

export interface PostingSignal {
  readonly bank: string
  readonly entry: string
  readonly legs: ReadonlyArray<PostingLeg>
}

export interface EcashSignal {
  readonly issuer: string
  readonly pan: string
  readonly deltaFen: number
  /** The balance the card reported after the change. */
  readonly balanceAfterFen: number
  readonly cause: "personalization" | "load" | "purchase"
}

export type AuthState = "opened" | "approved" | "declined" | "settled" | "reversed" | "disputed"

export interface AuthSignal {
  readonly id: string
  readonly issuer: string
  readonly acquirer: string
  readonly amountFen: number
  readonly state: AuthState
  readonly reason?: string
}

export type TcState = "captured" | "presented" | "cleared" | "rejected"

export interface TcSignal {
  readonly id: string
  readonly issuer: string
  readonly acquirer: string
  readonly amountFen: number
  readonly state: TcState
}

export type FlowKind =
  | "purchase-offline"
  | "purchase-online"
  | "transit"
  | "ecash-load"
  | "utility"
  | "transfer"
  | "balance-inquiry"
  | "loan"
  | "fund"
  | "escrow"
  | "ecommerce"

export interface FlowSignal {
  readonly kind: FlowKind
  readonly ok: boolean
  readonly amountFen: number
  readonly detail?: string
}

export interface ClearingSignal {
  readonly cycle: number
  /** Net position per bank: positive = the bank receives. Sums to zero. */
  readonly positions: Readonly<Record<string, number>>
  readonly records: number
}

export interface DiscrepancySignal {
  readonly kind: string
  readonly ref: string
  readonly bank: string
  readonly outcome: string
}

export interface FraudSignal {
  readonly issuer: string
  readonly pan: string
  readonly reason: "atc-replay" | "atc-regression"
  readonly atc: number
  readonly lastAtc: number
}

/**
 * A stand-in's life: "approved" when UnionPay answers for an unreachable issuer (the money is in
 * flight: the merchant was told yes, the issuer has not booked it), "posted" when the issuer
 * books the advice. The risk names what the switch could not check.
 */
export interface StandInSignal {
  readonly id: string
  readonly issuer: string
  readonly pan: string
  readonly amountFen: number
  readonly state: "approved" | "posted"
  readonly risk?: "arqc-unverified"
  readonly outcome?: "matched" | "forced"
}

export interface EscrowSignal {
  readonly id: string
  /** The buyer's bank, which holds the money. */
  readonly bank: string
  readonly amountFen: number
  readonly state: "held" | "released" | "refunded"
}
