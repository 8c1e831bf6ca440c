/**
 * The viewer's state and the one fold that builds it (DESIGN.md §4: the browser folds frames into
 * view state). Live frames and a replayed run file both end in `applyRecord`, record by record, so
 * replaying a run shows the same screens as watching it. Every collection is bounded.
 */
import { Result, Schema } from "effect"
import { FLOW_STEP_SIGNAL, FLOW_SUMMARY_SIGNAL, FlowStep, FlowSummary } from "../../model/signals/flow.ts"
import { KPI_SIGNAL, Kpi } from "../../model/signals/kpi.ts"
import { PARTY_LOAD_SIGNAL, PartyLoad } from "../../model/signals/party-load.ts"
import type { CatalogueEntry, Progress, RunInfo, ServerMessage } from "../../sim/server/protocol.ts"

export const VIEW_LIMITS = { seriesPointsMax: 4000, flowsMax: 100, flowDetailsMax: 200 } as const

export interface Series {
  readonly name: string
  readonly fields: string[]
  readonly t: number[]
  readonly values: Map<string, number[]>
}

export type Connection = "idle" | "connecting" | "live" | "closed" | "replay"

export interface ViewState {
  connection: Connection
  run: RunInfo | null
  scenarios: ReadonlyArray<CatalogueEntry>
  faults: ReadonlyArray<CatalogueEntry>
  progress: Progress | null
  digest: string | null
  parties: Map<string, PartyLoad>
  kpis: Map<string, Kpi>
  series: Map<string, Series>
  flows: FlowSummary[]
  flowDetails: Map<string, FlowStep[]>
  frames: number
  dropped: number
  badRecords: number
  lastError: string | null
  lastAck: string | null
}

export const emptyState = (connection: Connection = "idle"): ViewState => ({
  connection,
  run: null,
  scenarios: [],
  faults: [],
  progress: null,
  digest: null,
  parties: new Map(),
  kpis: new Map(),
  series: new Map(),
  flows: [],
  flowDetails: new Map(),
  frames: 0,
  dropped: 0,
  badRecords: 0,
  lastError: null,
  lastAck: null,
})

const decodePartyLoad = Schema.decodeUnknownResult(PartyLoad)
const decodeKpi = Schema.decodeUnknownResult(Kpi)
const decodeSummary = Schema.decodeUnknownResult(FlowSummary)
const decodeStep = Schema.decodeUnknownResult(FlowStep)

const addSample = (state: ViewState, record: Readonly<Record<string, unknown>>, name: string): void => {
  let series = state.series.get(name)
  if (series === undefined) {
    const fields = Object.keys(record).filter(
      (k) => k !== "tUs" && k !== "series" && typeof record[k] === "number",
    )
    series = { name, fields, t: [], values: new Map(fields.map((f) => [f, []])) }
    state.series.set(name, series)
  }
  const tUs = record.tUs as number
  const last = series.t.at(-1)
  if (last !== undefined && tUs <= last) return
  series.t.push(tUs)
  for (const f of series.fields) series.values.get(f)!.push(Number(record[f] ?? 0))
  if (series.t.length > VIEW_LIMITS.seriesPointsMax) {
    series.t.splice(0, 1)
    for (const v of series.values.values()) v.splice(0, 1)
  }
}

const addStep = (state: ViewState, step: FlowStep): void => {
  let steps = state.flowDetails.get(step.flowId)
  if (steps === undefined) {
    if (state.flowDetails.size >= VIEW_LIMITS.flowDetailsMax)
      state.flowDetails.delete(state.flowDetails.keys().next().value!)
    steps = []
    state.flowDetails.set(step.flowId, steps)
  }
  steps[step.index] = step
}

/** Folds one recorder record (from a frame, a detail answer or a run file) into the state. */
export const applyRecord = (state: ViewState, record: Readonly<Record<string, unknown>>): void => {
  if (typeof record.tUs !== "number") {
    state.badRecords++
    return
  }
  if (typeof record.series === "string") {
    addSample(state, record, record.series)
    return
  }
  const payload = record.payload
  switch (record.signal) {
    case PARTY_LOAD_SIGNAL: {
      const r = decodePartyLoad(payload)
      if (Result.isSuccess(r)) state.parties.set(r.success.key, r.success)
      else state.badRecords++
      return
    }
    case KPI_SIGNAL: {
      const r = decodeKpi(payload)
      if (Result.isSuccess(r)) state.kpis.set(r.success.key, r.success)
      else state.badRecords++
      return
    }
    case FLOW_SUMMARY_SIGNAL: {
      const r = decodeSummary(payload)
      if (Result.isFailure(r)) {
        state.badRecords++
        return
      }
      state.flows = [r.success, ...state.flows.filter((f) => f.key !== r.success.key)].slice(
        0,
        VIEW_LIMITS.flowsMax,
      )
      return
    }
    case FLOW_STEP_SIGNAL: {
      const r = decodeStep(payload)
      if (Result.isSuccess(r)) addStep(state, r.success)
      else state.badRecords++
      return
    }
  }
}

/** Folds one server message; a new hello starts the view over (the run was replaced). */
export const applyServerMessage = (state: ViewState, message: ServerMessage): ViewState => {
  switch (message.type) {
    case "hello": {
      const next = emptyState("live")
      next.run = message.run
      next.scenarios = message.scenarios
      next.faults = message.faults
      return next
    }
    case "frame":
      state.frames++
      state.dropped += message.dropped
      state.progress = message.progress
      state.digest = message.digest
      for (const r of message.records) applyRecord(state, r)
      return state
    case "detail":
      state.flowDetails.delete(message.flow)
      for (const r of message.records) applyRecord(state, r)
      return state
    case "ack":
      state.lastAck = message.command
      return state
    case "error":
      state.lastError = `${message.code}: ${message.message}`
      return state
  }
}
