/**
 * The one place the live viewer reads the pilot world's parties (issue #15 item 2): a snapshot of
 * each party's counters — waiting line, busy servers, busy time, requests served, refused and timed
 * out, errors by cause — taken from the world's meters (`partyMeters`,
 * model/world/pilot/pilot-world.ts), its issuance counts and its parties' decision counts
 * (party-decisions.ts). Everything the viewer shows about a party (pilot-signals.ts) derives from
 * this snapshot, so when the world's parties change shape only `partyStates` has to follow.
 *
 * The SE is not a party of the network declaration (it has no capacity or faults of its own), but
 * the inspector's APDUs end there, so the topology draws it after the telcos' OTA bearer: the
 * issuances it received are the cards personalised over the air.
 */
import { PILOT_NETWORK, PILOT_PARTIES } from "../../model/world/network.ts"
import { type PilotWorld, partyMeters } from "../../model/world/pilot/pilot-world.ts"
import type { ServerPool } from "../../model/world/pilot/server-pool.ts"

/** The SE as the topology draws it: after the OTA bearer, a column of its own. */
export const SE_PARTY = {
  id: "se",
  label: "SEs (cards)",
  tier: 5,
  sendsTo: [] as ReadonlyArray<string>,
} as const

/** The edge the network declaration leaves out: the OTA bearer delivers the scripts to the SE. */
export const OTA_TO_SE: ReadonlyArray<string> = [SE_PARTY.id]

/** A party's counters at one instant; `servedTotal`, `busyUsTotal` and errors count from the run's start. */
export interface PartyState {
  readonly queueDepth: number
  readonly busy: number
  readonly capacity: number
  /** Server-µs of busy time since the start (the utilisation over an interval is its difference). */
  readonly busyUsTotal: number
  /** Servers the party is sized with (the scenario's knob), for utilisation. */
  readonly nominal: number
  readonly servedTotal: number
  readonly refusedTotal: number
  readonly timedOutTotal: number
  /** Mean wait before service over the run, µs; null where the party does not measure it. */
  readonly waitUsMean: number | null
  /** The errors its own decisions counted, by cause (the world's PartyDecisions). */
  readonly causes?: Readonly<Record<string, number>>
}

/** A server pool's counters: its backlog as the waiting line, servers reserved past now as busy. */
const pool = (m: ServerPool, nowUs: number): PartyState => {
  // One pass over the servers for both (the viewer samples every pool twelve times a day).
  const load = m.loadAt(nowUs)
  return poolState(m, load.queued, load.busy)
}

const poolState = (m: ServerPool, queueDepth: number, busy: number): PartyState => ({
  queueDepth,
  busy,
  capacity: m.down ? 0 : m.servers,
  busyUsTotal: m.busyUs,
  nominal: m.servers,
  servedTotal: m.served,
  refusedTotal: m.refused,
  timedOutTotal: m.timedOut,
  waitUsMean: m.served === 0 ? null : m.waitUs / m.served,
})

const idle = (served: number, errors: number): PartyState => ({
  queueDepth: 0,
  busy: 0,
  capacity: 0,
  busyUsTotal: 0,
  nominal: 0,
  servedTotal: served,
  refusedTotal: errors,
  timedOutTotal: 0,
  waitUsMean: null,
})

/** One party's errors by cause as last read, reused while its counters neither grew nor multiplied. */
interface CausesRead {
  /** Causes known (cells are never removed), and their names in record()'s order. */
  kinds: string[]
  total: number
  causes: Readonly<Record<string, number>> | null
}

const causesMemo = new WeakMap<PilotWorld, Map<string, CausesRead>>()

/**
 * The parties with errors, each with its non-zero causes in the order `PartyDecisions.record()`
 * gives them, read from the live counters: a party's causes object is rebuilt only when its
 * errors grew, and its causes re-sorted only when a new cause appeared.
 */
const causesOf = (world: PilotWorld): ReadonlyMap<string, Readonly<Record<string, number>>> => {
  let memo = causesMemo.get(world)
  if (memo === undefined) {
    memo = new Map()
    causesMemo.set(world, memo)
  }
  const out = new Map<string, Readonly<Record<string, number>>>()
  for (const [party, cells] of world.decisions.errorCounters()) {
    let read = memo.get(party)
    if (read === undefined) {
      read = { kinds: [], total: -1, causes: null }
      memo.set(party, read)
    }
    let total = 0
    for (const cell of cells.values()) total += cell.n
    if (read.kinds.length !== cells.size) {
      read.kinds = [...cells.keys()].sort((a, b) => a.localeCompare(b))
      read.total = -1
    }
    if (read.total !== total) {
      const causes: Record<string, number> = {}
      for (const kind of read.kinds) {
        const n = cells.get(kind)!.n
        if (n > 0) causes[kind] = n
      }
      read.total = total
      read.causes = Object.keys(causes).length > 0 ? causes : null
    }
    if (read.causes !== null) out.set(party, read.causes)
  }
  return out
}

/** Every party's state now, keyed by its network id, plus the SE. */
export const partyStates = (world: PilotWorld): ReadonlyMap<string, PartyState> => {
  const now = world.kernel.nowUs
  const meters = partyMeters(world)
  const f = world.flows
  const t = world.totals
  const out = new Map<string, PartyState>()
  for (const p of PILOT_PARTIES) {
    if (p.key === "users") {
      // What the users asked for: issuance orders and online or offline transactions.
      out.set(p.id, idle(f.started + t.transactions + t.transactionsFailed, f.abandoned))
      continue
    }
    if (p.key === "telcoOta") {
      // The bearer has no servers of its own: the TSM's OTA sessions open on it.
      const sessions = pool(f.otaSessions, now)
      out.set(p.id, { ...sessions, queueDepth: 0, refusedTotal: f.otaFailures, timedOutTotal: 0 })
      continue
    }
    out.set(p.id, pool(meters[p.key], now))
  }
  for (const [id, causes] of causesOf(world)) {
    const st = out.get(id)
    if (st !== undefined) out.set(id, { ...st, causes })
  }
  // The SE served the cards personalised over the air: the orders that ended issued.
  out.set(SE_PARTY.id, idle(f.issued, 0))
  return out
}

/** The network's parties and the SE, by tier, with the edges the topology draws. */
export const TOPOLOGY: ReadonlyArray<{
  id: string
  label: string
  tier: number
  sendsTo: ReadonlyArray<string>
}> = [
  ...PILOT_PARTIES.map((p) => ({
    id: p.id,
    label: p.label,
    tier: p.tier,
    sendsTo: p.id === PILOT_NETWORK.telcoOta.id ? [...p.sendsTo, ...OTA_TO_SE] : p.sendsTo,
  })),
  SE_PARTY,
].sort((a, b) => a.tier - b.tier)
