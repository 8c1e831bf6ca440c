/**
 * A fault as the viewer and the report show it: a party down (an outage) or degraded from one
 * simulated instant to another. Emitted when the window opens (its end still unknown for an outage,
 * `endUs` null) and again when it closes, so the viewer can colour the party and band every chart
 * for exactly as long as the fault lasts, however fast the run goes and however few frames show it.
 */
import { Schema } from "effect"

/** The signal name; payloads coalesce by `key` (one window each: the party and its start). */
export const FAULT_WINDOW_SIGNAL = "fault.window"

export const FaultWindow = Schema.Struct({
  key: Schema.String.check(Schema.isMaxLength(96)),
  /** The party's id as the topology names it. */
  party: Schema.String.check(Schema.isMaxLength(64)),
  kind: Schema.Literals(["outage", "degraded"]),
  startUs: Schema.Int.check(Schema.isGreaterThanOrEqualTo(0)),
  /** Null while an outage is still open. */
  endUs: Schema.NullOr(Schema.Int.check(Schema.isGreaterThanOrEqualTo(0))),
})
export type FaultWindow = typeof FaultWindow.Type
