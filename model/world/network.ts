/**
 * The one network declaration of the pilot (DESIGN.md §3 `model/world/network.ts`): every party
 * the pilot world models is named here once — its id, its label, its kind, which scenario knob
 * sizes it and whom it sends work to. Everything else derives from this table: the fault targets a
 * scenario may name (a Schema literal union, so a misspelt target is a validation error naming its
 * JSON path), the world's fault-target map and resource names (model/world/pilot/), the viewer's
 * topology (app/live/pilot-signals.ts) and fault picker (app/live/pilot-catalogue.ts), and the
 * run's utilisation table, rows and summary blocks (model/world/pilot/pilot-run.ts,
 * app/run/pilot-outcome.ts). Adding a party here without giving the world its fault target is a
 * type error (pilot-world.ts), and a test checks that every derived list matches this table.
 *
 * The table's order is the order of the fault picker and of the utilisation columns; the viewer
 * lays parties out by tier (DESIGN.md §1's picture: users → banks and UnionPay → 贵州通 TSM → MTPS
 * → the telcos' OTA → the SEs).
 */
import { Schema } from "effect"

/**
 * How a party's capacity is modelled: `population` the users themselves (no capacity, no faults);
 * `server-pool` identical servers
 * a party owns, reserved by the Lindley recursion (model/world/pilot/server-pool.ts: the 贵州通
 * TSM's order servers, HSMs and OTA sessions, MTPS, the bank hosts, the switch); `ota-bearer` the
 * telcos' over-the-air bearer, whose sessions are the TSM's (it fails and slows, it has no servers
 * of its own).
 */
export type PartyKind = "population" | "server-pool" | "ota-bearer"

export interface PartyDeclaration {
  /** The party's id: fault targets, viewer keys, utilisation columns and report rows use it. */
  readonly id: string
  /** What the viewer and the report call it. */
  readonly label: string
  readonly kind: PartyKind
  /** The scenario knob (JSON path in a pilot scenario) that sizes it. */
  readonly knob: string
  /** Its column in the viewer's topology (0 = the users). */
  readonly tier: number
  /** The parties it hands work to (ids of this table). */
  readonly sendsTo: ReadonlyArray<string>
}

export const PILOT_NETWORK = {
  users: {
    id: "users",
    label: "users (phones)",
    kind: "population",
    knob: "population",
    tier: 0,
    sendsTo: ["bank-host", "unionpay-switch"],
  },
  tsmHsm: {
    id: "gzt-tsm.hsm",
    label: "贵州通 TSM HSM pool",
    kind: "server-pool",
    knob: "capacity.tsm.hsmCount",
    tier: 2,
    sendsTo: ["mtps"],
  },
  tsmOrders: {
    id: "gzt-tsm.orders",
    label: "贵州通 TSM order servers",
    kind: "server-pool",
    knob: "capacity.tsm.orderServers",
    tier: 2,
    sendsTo: ["gzt-tsm.hsm"],
  },
  tsmOtaSessions: {
    id: "gzt-tsm.ota-sessions",
    label: "贵州通 TSM OTA sessions",
    kind: "server-pool",
    knob: "capacity.tsm.otaSessionsMax",
    tier: 4,
    sendsTo: ["telco-ota"],
  },
  mtps: {
    id: "mtps",
    label: "MTPS",
    kind: "server-pool",
    knob: "capacity.mtps",
    tier: 3,
    sendsTo: ["gzt-tsm.ota-sessions"],
  },
  telcoOta: {
    id: "telco-ota",
    label: "telco OTA bearer",
    kind: "ota-bearer",
    knob: "capacity.telcoOta",
    tier: 4,
    sendsTo: [],
  },
  bankHost: {
    id: "bank-host",
    label: "bank hosts",
    kind: "server-pool",
    knob: "capacity.bankHost",
    tier: 1,
    sendsTo: ["gzt-tsm.orders", "mtps"],
  },
  unionpaySwitch: {
    id: "unionpay-switch",
    label: "UnionPay switch",
    kind: "server-pool",
    knob: "capacity.unionpaySwitch",
    tier: 1,
    sendsTo: ["bank-host"],
  },
} as const satisfies Record<string, PartyDeclaration>

type Network = typeof PILOT_NETWORK
export type PartyKey = keyof Network
export type PartyId = Network[PartyKey]["id"]

/** Keys of the parties of some kinds, e.g. the server pools. */
export type PartyKeyOf<K extends PartyKind> = {
  [P in PartyKey]: Network[P]["kind"] extends K ? P : never
}[PartyKey]

// Every sendsTo names a declared party: a typo there fails the typecheck.
const _sendsToDeclared: Readonly<Record<PartyKey, { readonly sendsTo: ReadonlyArray<PartyId> }>> =
  PILOT_NETWORK
void _sendsToDeclared

export const PILOT_PARTIES: ReadonlyArray<Network[PartyKey] & { readonly key: PartyKey }> = (
  Object.keys(PILOT_NETWORK) as PartyKey[]
).map((key) => ({ key, ...PILOT_NETWORK[key] }))

/** The parties a fault can act on: everything but the users. */
export type FaultTargetKey = Exclude<PartyKey, PartyKeyOf<"population">>
export type FaultTargetId = Network[FaultTargetKey]["id"]

const isFaultTarget = (p: { readonly key: PartyKey }): p is { readonly key: FaultTargetKey } =>
  PILOT_NETWORK[p.key].kind !== "population"

export const FAULT_TARGET_PARTIES = PILOT_PARTIES.filter(isFaultTarget) as ReadonlyArray<
  Network[FaultTargetKey] & { readonly key: FaultTargetKey }
>

export const FAULT_TARGET_IDS = FAULT_TARGET_PARTIES.map((p) => p.id) as unknown as readonly [
  FaultTargetId,
  ...FaultTargetId[],
]

/** A pilot scenario's fault target: one of the network's parties (a typo names its JSON path). */
export const PilotFaultTarget = Schema.Literals(FAULT_TARGET_IDS).annotate({
  description: "a party of the pilot network (model/world/network.ts)",
})

/** The parties with servers whose utilisation the run samples: the server pools. */
export type UtilisationKey = PartyKeyOf<"server-pool">

export const UTILISATION_PARTIES = PILOT_PARTIES.filter((p) => p.kind === "server-pool") as ReadonlyArray<
  Network[UtilisationKey] & { readonly key: UtilisationKey }
>

const LABELS: ReadonlyMap<string, string> = new Map(PILOT_PARTIES.map((p) => [p.id, p.label]))

/** A party's label by id; an unknown id (another world's party) is shown as it is. */
export const partyLabel = (id: string): string => LABELS.get(id) ?? id
