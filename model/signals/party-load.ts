/**
 * The load of one party as the viewer's topology shows it (DESIGN.md §4 "Viewer"): how many
 * requests wait, how busy its servers are, how many requests it refused, and whether a fault has
 * taken it down or degraded it. Parties emit it at a fixed simulated interval and whenever a fault
 * changes their state, so an outage shows at the instant it starts.
 */
import { Schema } from "effect"

/** The signal name; its payloads coalesce by `key` (the latest one per party is the state). */
export const PARTY_LOAD_SIGNAL = "party.load"

const Count = Schema.Int.check(Schema.isGreaterThanOrEqualTo(0))

export const PartyLoad = Schema.Struct({
  /** The party's id, unique in the scenario (e.g. "tsm", "mtps"); also the coalescing key. */
  key: Schema.String.check(Schema.isMaxLength(64)),
  /** A short human label for the topology. */
  label: Schema.String.check(Schema.isMaxLength(64)),
  /** Which column of the topology the party sits in: users, platforms, institutions, cards. */
  tier: Schema.Int.check(Schema.isBetween({ minimum: 0, maximum: 7 })),
  queueDepth: Count,
  busy: Count,
  capacity: Count,
  /** Busy servers over nominal servers, in permille, averaged over the last interval. */
  utilisationPermille: Count,
  /** Requests refused or failed so far in the run (a full queue, a timeout, an outage). */
  errors: Count,
  /**
   * The same utilisation in parts per million: at small scales a party is busy well under 0.1 %
   * of the time, which permille rounds to 0 (the topology read "0 %" for a whole run).
   */
  utilisationPpm: Schema.optionalKey(Count),
  /** Of `errors`, those refused (a full line, an outage, a failed OTA session); absent in older run files. */
  refused: Schema.optionalKey(Count),
  /** Of `errors`, those that gave up waiting longer than their timeout. */
  timedOut: Schema.optionalKey(Count),
  /**
   * The errors the party's own decisions counted, by cause ("parked: party down", "declined:
   * insufficient-funds", ...; model/world/pilot/party-decisions.ts); absent in older run files.
   */
  causes: Schema.optionalKey(Schema.Record(Schema.String.check(Schema.isMaxLength(96)), Count)),
  /** Requests the party served per simulated day over the last interval (its outgoing flow rate). */
  throughputPerDay: Schema.optionalKey(Count),
  /** Mean wait before service over the run, µs, where the party measures it. */
  waitUsMean: Schema.optionalKey(Count),
  down: Schema.Boolean,
  degraded: Schema.Boolean,
  /** Ids of the parties this one sends to; the topology draws these edges. */
  sendsTo: Schema.Array(Schema.String.check(Schema.isMaxLength(64))).check(Schema.isMaxLength(16)),
})

export type PartyLoad = typeof PartyLoad.Type
