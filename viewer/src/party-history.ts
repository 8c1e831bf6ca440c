/**
 * What the party drill-down shows besides a party's latest load (issue #15 item 3): its history
 * as two chart series — utilisation with its waiting line, and its throughput — and its recent
 * events, read from the change between two successive loads: an outage or a degradation beginning
 * and ending, requests refused or timed out. Both are kept per party in the view state and bounded;
 * a client sees the history from the moment it connected (the server sends each party's latest
 * load only), the charts of the whole run keep the rest.
 */
import type { PartyLoad } from "../../model/signals/party-load.ts"
import { SeriesBuffer } from "./series-buffer.ts"
import type { Series } from "./view-state.ts"

export const PARTY_LIMITS = {
  /** Parties followed (the pilot has nine with the SE). */
  partiesMax: 32,
  /** Points a party's series keeps for the whole run (min/max buckets beyond it). */
  pointsMax: 512,
  /** Recent events kept per party. */
  eventsMax: 12,
} as const

export interface PartyEvent {
  readonly tUs: number
  /** Until when a merged run of errors went on; equals tUs for a single change. */
  readonly untilUs: number
  readonly kind: "outage" | "recovered" | "degraded" | "restored" | "errors"
  readonly text: string
  /** For `errors`: how many requests the entry covers. */
  readonly count: number
}

export interface PartyHistory {
  readonly load: Series
  readonly flow: Series
  events: PartyEvent[]
  last: PartyLoad
}

const series = (name: string, fields: string[], units: string[]): Series => ({
  name,
  source: null,
  fields,
  units,
  buffer: new SeriesBuffer(fields, PARTY_LIMITS.pointsMax),
  samples: 0,
  refined: null,
})

const percentOf = (p: PartyLoad): number =>
  p.utilisationPpm === undefined ? p.utilisationPermille / 10 : p.utilisationPpm / 10_000

const errorsText = (refused: number, timedOut: number): string =>
  [refused > 0 ? `${refused} refused` : "", timedOut > 0 ? `${timedOut} timed out` : ""]
    .filter((x) => x !== "")
    .join(", ")

/** The events between two loads of one party, oldest first. */
export const eventsBetween = (before: PartyLoad, after: PartyLoad, tUs: number): PartyEvent[] => {
  const out: PartyEvent[] = []
  const at = (kind: PartyEvent["kind"], text: string, count = 0) =>
    out.push({ tUs, untilUs: tUs, kind, text, count })
  if (!before.down && after.down) at("outage", "outage began: every request refused")
  if (before.down && !after.down) at("recovered", "outage ended")
  if (!before.degraded && after.degraded) at("degraded", "degradation began")
  if (before.degraded && !after.degraded) at("restored", "degradation ended")
  const refused = Math.max(0, (after.refused ?? after.errors) - (before.refused ?? before.errors))
  const timedOut = Math.max(0, (after.timedOut ?? 0) - (before.timedOut ?? 0))
  if (refused + timedOut > 0) at("errors", errorsText(refused, timedOut), refused + timedOut)
  return out
}

/** Adds an event, merging a run of error entries into one so a long outage does not flood the list. */
const addEvent = (h: PartyHistory, e: PartyEvent): void => {
  const last = h.events[0]
  if (e.kind === "errors" && last?.kind === "errors") {
    const count = last.count + e.count
    h.events[0] = {
      ...last,
      untilUs: e.untilUs,
      count,
      text: `${count} errors (${e.text} in the latest interval)`,
    }
    return
  }
  h.events = [e, ...h.events].slice(0, PARTY_LIMITS.eventsMax)
}

/** Folds one party load into its history; a party beyond the bound is not followed. */
export const addPartyLoad = (all: Map<string, PartyHistory>, tUs: number, p: PartyLoad): void => {
  let h = all.get(p.key)
  if (h === undefined) {
    if (all.size >= PARTY_LIMITS.partiesMax) return
    h = {
      load: series(`party:${p.key}:load`, ["utilisation", "waiting"], ["%", "requests"]),
      flow: series(`party:${p.key}:flow`, ["throughput"], ["per day"]),
      events: [],
      last: p,
    }
    all.set(p.key, h)
  } else for (const e of eventsBetween(h.last, p, tUs)) addEvent(h, e)
  h.last = p
  h.load.buffer.push(tUs, [percentOf(p), p.queueDepth])
  h.load.samples++
  h.flow.buffer.push(tUs, [p.throughputPerDay ?? 0])
  h.flow.samples++
}
