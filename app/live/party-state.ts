/**
 * The one place the live viewer reads the pilot world's parties (issue #15 item 2): a snapshot of
 * each party's counters — waiting line, busy servers, busy time, requests served, refused and timed
 * out, errors by cause — taken from the world's meters (`partyMeters`,
 * model/world/pilot/pilot-world.ts), its issuance counts and its parties' decision counts
 * (party-decisions.ts). Everything the viewer shows about a party (pilot-signals.ts) derives from
 * this snapshot, so when the world's parties change shape only `PartyStates.read` has to follow.
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

/**
 * A party's counters at one instant; `servedTotal`, `busyUsTotal` and errors count from the run's
 * start. Filled in place at each sample (`PartyStates.read`): the viewer samples twelve times a
 * simulated day, and a fresh object per party per sample was most of what watching allocated.
 */
export interface PartyState {
  queueDepth: number
  busy: number
  capacity: number
  /** Server-µs of busy time since the start (the utilisation over an interval is its difference). */
  busyUsTotal: number
  /** Servers the party is sized with (the scenario's knob), for utilisation. */
  nominal: number
  servedTotal: number
  refusedTotal: number
  timedOutTotal: number
  /** Mean wait before service over the run, µs; null where the party does not measure it. */
  waitUsMean: number | null
  /** The errors its own decisions counted, by cause (the world's PartyDecisions); undefined if none. */
  causes: Readonly<Record<string, number>> | undefined
}

const blank = (): PartyState => ({
  queueDepth: 0,
  busy: 0,
  capacity: 0,
  busyUsTotal: 0,
  nominal: 0,
  servedTotal: 0,
  refusedTotal: 0,
  timedOutTotal: 0,
  waitUsMean: null,
  causes: undefined,
})

/** A server pool's counters: its backlog as the waiting line, servers reserved past now as busy. */
const readPool = (st: PartyState, m: ServerPool, nowUs: number): void => {
  // One pass over the servers for both.
  const load = m.loadAt(nowUs)
  st.queueDepth = load.queued
  st.busy = load.busy
  st.capacity = m.down ? 0 : m.servers
  st.busyUsTotal = m.busyUs
  st.nominal = m.servers
  st.servedTotal = m.served
  st.refusedTotal = m.refused
  st.timedOutTotal = m.timedOut
  st.waitUsMean = m.served === 0 ? null : m.waitUs / m.served
}

/** A party without servers of its own: what it asked for or took, and its errors. */
const readIdle = (st: PartyState, served: number, errors: number): void => {
  st.queueDepth = 0
  st.busy = 0
  st.capacity = 0
  st.busyUsTotal = 0
  st.nominal = 0
  st.servedTotal = served
  st.refusedTotal = errors
  st.timedOutTotal = 0
  st.waitUsMean = null
}

/** One party's errors by cause as last read, reused while its counters neither grew nor multiplied. */
interface CausesRead {
  /** Causes known (cells are never removed), and their names in record()'s order. */
  kinds: string[]
  total: number
  causes: Readonly<Record<string, number>> | null
}

const causesMemo = new WeakMap<PilotWorld, Map<string, CausesRead>>()

/**
 * Each party that counted errors, with its non-zero causes in the order `PartyDecisions.record()`
 * gives them (null while all are zero), read from the live counters: a party's causes object is
 * rebuilt only when its errors grew, and its causes re-sorted only when a new cause appeared. So
 * a causes object, once given out, never changes.
 */
const causesOf = (world: PilotWorld): ReadonlyMap<string, CausesRead> => {
  let memo = causesMemo.get(world)
  if (memo === undefined) {
    memo = new Map()
    causesMemo.set(world, memo)
  }
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
  }
  return memo
}

/** Every party's state at one instant, keyed by its network id, plus the SE's. */
export class PartyStates {
  private readonly byId = new Map<string, PartyState>(
    [...PILOT_PARTIES.map((p) => p.id), SE_PARTY.id].map((id) => [id, blank()]),
  )

  /** The party's state as last read (all zero before the first read). */
  get(id: string): PartyState | undefined {
    return this.byId.get(id)
  }

  /** Reads every party's counters now, over the values of the last read. */
  read(world: PilotWorld): void {
    const now = world.kernel.nowUs
    const meters = partyMeters(world)
    const f = world.flows
    const t = world.totals
    for (const p of PILOT_PARTIES) {
      const st = this.byId.get(p.id)!
      st.causes = undefined
      if (p.key === "users") {
        // What the users asked for: issuance orders and online or offline transactions.
        readIdle(st, f.started + t.transactions + t.transactionsFailed, f.abandoned)
      } else if (p.key === "telcoOta") {
        // The bearer has no servers of its own: the TSM's OTA sessions open on it.
        readPool(st, f.otaSessions, now)
        st.queueDepth = 0
        st.refusedTotal = f.otaFailures
        st.timedOutTotal = 0
      } else readPool(st, meters[p.key], now)
    }
    for (const [id, read] of causesOf(world)) {
      const st = this.byId.get(id)
      if (st !== undefined && read.causes !== null) st.causes = read.causes
    }
    // The SE served the cards personalised over the air: the orders that ended issued.
    readIdle(this.byId.get(SE_PARTY.id)!, f.issued, 0)
  }
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
