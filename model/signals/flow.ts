/**
 * Flows as the viewer's inspector shows them: an issuance or a transaction is a sequence of
 * messages between parties, and where a message is an APDU exchange with a card, its command and
 * response with the data fields decoded as BER-TLV trees. Parties emit one `flow.summary` when a
 * flow ends (for the inspector's list) and, for traced flows only, one `flow.step` per message —
 * tracing every flow would cost the run more than the viewer's budget (DESIGN.md §5).
 */
import { Schema } from "effect"

export const FLOW_STEP_SIGNAL = "flow.step"
export const FLOW_SUMMARY_SIGNAL = "flow.summary"

/** Bounds of what one flow may carry, so the server can answer an inspect request in one message. */
export const FLOW_LIMITS = {
  stepsMax: 256,
  hexCharsMax: 2 * 1024,
  tlvNodesMax: 256,
  tlvDepthMax: 12,
} as const

export const FlowKind = Schema.Literals(["issuance", "transaction"])
export type FlowKind = typeof FlowKind.Type

/** One decoded TLV: the tag in hex, the value length, the value hex (primitive only), a name. */
export interface TlvNode {
  readonly tag: string
  readonly length: number
  readonly value?: string
  readonly name?: string
  readonly children?: ReadonlyArray<TlvNode>
}

const Hex = Schema.String.check(Schema.isMaxLength(FLOW_LIMITS.hexCharsMax))

export const TlvNode: Schema.Codec<TlvNode> = Schema.Struct({
  tag: Schema.String.check(Schema.isMaxLength(8)),
  length: Schema.Int.check(Schema.isGreaterThanOrEqualTo(0)),
  value: Schema.optionalKey(Hex),
  name: Schema.optionalKey(Schema.String.check(Schema.isMaxLength(64))),
  children: Schema.optionalKey(
    Schema.Array(Schema.suspend((): Schema.Codec<TlvNode> => TlvNode)).check(
      Schema.isMaxLength(FLOW_LIMITS.tlvNodesMax),
    ),
  ),
})

/**
 * A command as the host built it before the secure channel wrapped it (GP 2.3 §10.6: C-MAC adds a
 * MAC, C-DECRYPTION enciphers the data field), with its data field decoded: STORE DATA in DGI
 * format (P1 bit 08, EMV CPS "Data Grouping") as DGI nodes whose values are BER-TLV trees where
 * they are TLV, any other command as a BER-TLV tree when its whole data field is TLV.
 */
export const PlainCommand = Schema.Struct({
  command: Hex,
  format: Schema.Literals(["dgi", "tlv", "raw"]),
  tree: Schema.optionalKey(Schema.Array(TlvNode).check(Schema.isMaxLength(FLOW_LIMITS.tlvNodesMax))),
})
export type PlainCommand = typeof PlainCommand.Type

/** An APDU exchange for the inspector: raw hex both ways plus whatever decoded as TLV. */
export const ApduView = Schema.Struct({
  /** The command header, e.g. "80E60C00" (CLA INS P1 P2). */
  header: Schema.String.check(Schema.isMaxLength(8)),
  /** A readable command name, e.g. "INSTALL" or "STORE DATA". */
  commandName: Schema.String.check(Schema.isMaxLength(32)),
  command: Hex,
  response: Hex,
  /** The status word in four hex digits, e.g. "9000". */
  sw: Schema.String.check(Schema.isMaxLength(4)),
  /** The command data field as TLV; absent when it is empty, encrypted or not TLV. */
  commandTlv: Schema.optionalKey(Schema.Array(TlvNode).check(Schema.isMaxLength(FLOW_LIMITS.tlvNodesMax))),
  /** The response data field as TLV; absent when it is empty or not TLV. */
  responseTlv: Schema.optionalKey(Schema.Array(TlvNode).check(Schema.isMaxLength(FLOW_LIMITS.tlvNodesMax))),
  /** The command before secure-channel wrapping, when the trace kept it. */
  plain: Schema.optionalKey(PlainCommand),
})
export type ApduView = typeof ApduView.Type

export const FlowStep = Schema.Struct({
  flowId: Schema.String.check(Schema.isMaxLength(64)),
  kind: FlowKind,
  /** Position in the flow, from 0. */
  index: Schema.Int.check(Schema.isBetween({ minimum: 0, maximum: FLOW_LIMITS.stepsMax - 1 })),
  /** Simulated instant the message was sent, µs. */
  tUs: Schema.Int.check(Schema.isGreaterThanOrEqualTo(0)),
  from: Schema.String.check(Schema.isMaxLength(64)),
  to: Schema.String.check(Schema.isMaxLength(64)),
  label: Schema.String.check(Schema.isMaxLength(96)),
  /**
   * How long the message took in simulated time, µs, where the run models it: for an OTA step's
   * delivery, the bearer's time; for an APDU of its script, the SE's time
   * (model/world/pilot/byte-level/card-time.ts).
   */
  durationUs: Schema.optionalKey(Schema.Int.check(Schema.isGreaterThanOrEqualTo(0))),
  apdu: Schema.optionalKey(ApduView),
})
export type FlowStep = typeof FlowStep.Type

/**
 * One OTA step of a byte-level issuance as the run charged it (ota-issuance.ts, issuance/
 * pilot-se-issuers.ts): the script's delivery over the bearer (its plan's time, slowed by a
 * degradation in force) and the SE's processing of each command.
 */
export const OtaSession = Schema.Struct({
  /** The order step the script belongs to: create-ssd (ISD script) or personalize (SSD script). */
  step: Schema.String.check(Schema.isMaxLength(16)),
  /** Simulated instant the step's OTA job began, µs. */
  startUs: Schema.Int.check(Schema.isGreaterThanOrEqualTo(0)),
  /** The bearer's part as charged: the plan's time × the latency factor in force, µs. */
  bearerUs: Schema.Int.check(Schema.isGreaterThanOrEqualTo(0)),
  /** The latency factor in force (1000 = nominal, 4000 = four times slower). */
  latencyPermille: Schema.Int.check(Schema.isGreaterThanOrEqualTo(0)),
  /** The SE's part: its processing of every command of the script, µs. */
  seUs: Schema.Int.check(Schema.isGreaterThanOrEqualTo(0)),
})
export type OtaSession = typeof OtaSession.Type

/** The card's part of a byte-level flow: its OTA steps' time, by the card-time model. */
export const CardSpan = Schema.Struct({
  /** Simulated instant the first OTA step began, µs. */
  startUs: Schema.Int.check(Schema.isGreaterThanOrEqualTo(0)),
  /** The card time the run charged the OTA steps together (their sessions' sum), µs. */
  durationUs: Schema.Int.check(Schema.isGreaterThanOrEqualTo(0)),
  apdus: Schema.Int.check(Schema.isGreaterThanOrEqualTo(0)),
  /** The SE's form factor (its interface and NVM timing). */
  se: Schema.String.check(Schema.isMaxLength(16)),
  /** The OTA bearer that reached the SE (sms-pp, bip, http-admin). */
  bearer: Schema.String.check(Schema.isMaxLength(16)),
  /** Secured packets (SMS-PP, BIP) or HTTP messages (HTTP admin) of both steps' plans. */
  packets: Schema.Int.check(Schema.isGreaterThanOrEqualTo(0)),
  sessions: Schema.Array(OtaSession).check(Schema.isMaxLength(2)),
})
export type CardSpan = typeof CardSpan.Type

export const FlowSummary = Schema.Struct({
  /** The coalescing key is the flow id; a flow's last summary is its state. */
  key: Schema.String.check(Schema.isMaxLength(64)),
  kind: FlowKind,
  label: Schema.String.check(Schema.isMaxLength(96)),
  startUs: Schema.Int.check(Schema.isGreaterThanOrEqualTo(0)),
  endUs: Schema.Int.check(Schema.isGreaterThanOrEqualTo(0)),
  ok: Schema.Boolean,
  /** Whether `flow.step` records exist for it (the inspector can show its messages). */
  traced: Schema.Boolean,
  steps: Schema.Int.check(Schema.isBetween({ minimum: 0, maximum: FLOW_LIMITS.stepsMax })),
  /** The card's session, for a flow whose card work is byte-level and traced. */
  card: Schema.optionalKey(CardSpan),
})
export type FlowSummary = typeof FlowSummary.Type
