/**
 * The twin's switch message profile, "TWIN-CUPS-1". UnionPay's CUPS message formats are not
 * public, so the twin defines its own messages from the public ISO 8583 field concepts: a
 * transaction id standing for STAN + acquirer id (fields 11, 32), the amount (field 4, fen), the
 * response code (field 39, ISO 8583:1993 values) and the chip data (field 55, here the terminal
 * kernel's typed online request and answer, which carry the real ARQC, ARPC and scripts). The
 * Schema below is the wire form for files and the viewer; the data plane passes the typed values.
 */
import { Schema } from "effect"
import type { OnlineRequest, OnlineResponse } from "../../host/terminal/online-authorizer.ts"

/** ISO 8583 field 39 codes the twin uses, with their ISO meanings. */
export const RESPONSE_CODE = {
  approved: "00",
  doNotHonour: "05",
  invalidCard: "14",
  lostCard: "41",
  insufficientFunds: "51",
  exceedsLimit: "61",
  suspectedFraud: "59",
  issuerUnavailable: "91",
  duplicate: "94",
} as const

export type ResponseCode = (typeof RESPONSE_CODE)[keyof typeof RESPONSE_CODE]

export type AuthPurpose = "purchase" | "load"

export interface AuthRequest {
  readonly kind: "auth-request"
  readonly id: string
  readonly acquirer: string
  readonly issuer: string
  readonly merchant: string
  readonly amountFen: number
  readonly purpose: AuthPurpose
  readonly chip: OnlineRequest
}

export interface AuthResponse {
  readonly kind: "auth-response"
  readonly id: string
  readonly code: ResponseCode
  readonly chip: OnlineResponse | null
  /** True when UnionPay answered for an unreachable issuer (stand-in). */
  readonly standIn: boolean
}

export interface Reversal {
  readonly kind: "reversal"
  readonly id: string
  readonly amountFen: number
  readonly reason: "switch-timeout" | "acquirer-timeout" | "load-failed" | "late-response"
}

export interface ReversalAck {
  readonly kind: "reversal-ack"
  readonly id: string
  /** False when the issuer had nothing to reverse (the request never reached it, or declined). */
  readonly reversed: boolean
}

/**
 * A stand-in advice (ISO 8583 0120 concept): UnionPay approved `id` for an issuer it could not
 * reach and tells the issuer afterwards; the issuer must post it (stand-in.ts documents the profile).
 */
export interface StandInAdvice {
  readonly kind: "advice"
  readonly id: string
  readonly pan: string
  readonly amountFen: number
}

export interface AdviceAck {
  readonly kind: "advice-ack"
  readonly id: string
  /** "matched": the issuer had approved the original itself; "forced": it posted the advice now. */
  readonly outcome: "matched" | "forced"
}

export type SwitchMessage = AuthRequest | AuthResponse | Reversal | ReversalAck | StandInAdvice | AdviceAck

const Fen = Schema.Int.check(Schema.isGreaterThanOrEqualTo(0))

/** The wire form of the messages without chip data (chip data travels as its own TLV bytes). */
export const SwitchMessageWire = Schema.Union([
  Schema.Struct({
    kind: Schema.Literal("auth-request"),
    id: Schema.String,
    acquirer: Schema.String,
    issuer: Schema.String,
    merchant: Schema.String,
    amountFen: Fen,
    purpose: Schema.Literals(["purchase", "load"]),
  }),
  Schema.Struct({
    kind: Schema.Literal("auth-response"),
    id: Schema.String,
    code: Schema.Literals(Object.values(RESPONSE_CODE)),
    standIn: Schema.Boolean,
  }),
  Schema.Struct({
    kind: Schema.Literal("reversal"),
    id: Schema.String,
    amountFen: Fen,
    reason: Schema.Literals(["switch-timeout", "acquirer-timeout", "load-failed", "late-response"]),
  }),
  Schema.Struct({ kind: Schema.Literal("reversal-ack"), id: Schema.String, reversed: Schema.Boolean }),
  Schema.Struct({ kind: Schema.Literal("advice"), id: Schema.String, pan: Schema.String, amountFen: Fen }),
  Schema.Struct({
    kind: Schema.Literal("advice-ack"),
    id: Schema.String,
    outcome: Schema.Literals(["matched", "forced"]),
  }),
])
