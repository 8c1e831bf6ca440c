/**
 * The viewer's state and the one fold that builds it (DESIGN.md §4: the browser folds frames into
 * view state). Live frames and a replayed run file both end in `applyRecord`, record by record, so
 * replaying a run shows the same screens as watching it. Every collection is bounded.
 */
import { Result, Schema } from "effect"
import { FAULT_WINDOW_SIGNAL, FaultWindow } from "../../model/signals/fault-window.ts"
import { FLOW_STEP_SIGNAL, FLOW_SUMMARY_SIGNAL, FlowStep, FlowSummary } from "../../model/signals/flow.ts"
import { ISSUANCE_LATENCY_SIGNAL, IssuanceLatency } from "../../model/signals/issuance-latency.ts"
import { KPI_SIGNAL, Kpi } from "../../model/signals/kpi.ts"
import { PARTY_LOAD_SIGNAL, PartyLoad } from "../../model/signals/party-load.ts"
import type {
  CatalogueEntry,
  Progress,
  RunInfo,
  SeriesWindow,
  ServerMessage,
} from "../../sim/server/protocol.ts"
import { frameRecords } from "./frame-records.ts"
import { addPartyLoad, type PartyHistory } from "./party-history.ts"
import { SeriesBuffer } from "./series-buffer.ts"

export const VIEW_LIMITS = {
  /** Points a series keeps for the whole run (min and max per bucket beyond it: series-buffer.ts). */
  seriesPointsMax: 2048,
  flowsMax: 100,
  flowDetailsMax: 200,
  faultWindowsMax: 256,
  commandLogMax: 12,
} as const

/** The series the pilot sends its phase KPIs' history in (app/live/pilot-signals.ts KPI_SERIES). */
export const KPI_SERIES = "phase KPIs"

/** A span of a series at the server's resolution (a `window` answer), drawn while the user zooms. */
export interface Refined {
  readonly fromUs: number
  readonly toUs: number
  readonly t: ReadonlyArray<number>
  readonly values: ReadonlyArray<ReadonlyArray<number>>
  /** Raw samples one point stands for (1 = every sample). */
  readonly resolution: number
}

export interface Series {
  readonly name: string
  /**
   * Where the server keeps it at full resolution: the records' series name and the fields this
   * series draws; null for a series the browser derives itself (a party's load history).
   */
  readonly source: { readonly series: string; readonly fields: ReadonlyArray<string> } | null
  readonly fields: ReadonlyArray<string>
  /** Each field's unit as a record's `units` names it; "" until a record names it. */
  units: ReadonlyArray<string>
  readonly buffer: SeriesBuffer
  /** Samples taken so far (a change redraws the chart). */
  samples: number
  /** The latest span the server sent at its resolution; null until the user zooms in. */
  refined: Refined | null
}

/** A command's answer as the command log shows it. */
export interface CommandEntry {
  readonly ok: boolean
  readonly text: string
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
  /** Each party's series and recent events for its drill-down panel (party-history.ts). */
  partyHistory: Map<string, PartyHistory>
  /** Each KPI's "why" as the server last explained it (the report's attribution, app/live/kpi-explanation.ts). */
  explanations: Map<string, ReadonlyArray<string>>
  /** The issuances' latency percentiles by path, the latest the run sent. */
  latency: IssuanceLatency | null
  faultWindows: Map<string, FaultWindow>
  commandLog: CommandEntry[]
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
  partyHistory: new Map(),
  explanations: new Map(),
  latency: null,
  faultWindows: new Map(),
  commandLog: [],
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
const decodeLatency = Schema.decodeUnknownResult(IssuanceLatency)
const decodeFaultWindow = Schema.decodeUnknownResult(FaultWindow)

const unitsOf = (record: Readonly<Record<string, unknown>>, fields: ReadonlyArray<string>): string[] => {
  const units = record.units
  const named = typeof units === "object" && units !== null ? (units as Record<string, unknown>) : {}
  return fields.map((f) => (typeof named[f] === "string" ? (named[f] as string).slice(0, 16) : ""))
}

const addSample = (
  state: ViewState,
  record: Readonly<Record<string, unknown>>,
  name: string,
  sourceSeries: string,
): void => {
  let series = state.series.get(name)
  if (series === undefined) {
    const fields = Object.keys(record).filter(
      (k) => k !== "tUs" && k !== "series" && typeof record[k] === "number",
    )
    const buffer = new SeriesBuffer(fields, VIEW_LIMITS.seriesPointsMax)
    const source = { series: sourceSeries, fields }
    series = { name, source, fields, units: unitsOf(record, fields), buffer, samples: 0, refined: null }
    state.series.set(name, series)
  }
  // Units come with some samples only (app/live/pilot-signals.ts); the first that has them counts.
  if (series.units.every((u) => u === "") && record.units !== undefined)
    series.units = unitsOf(record, series.fields)
  series.buffer.push(
    record.tUs as number,
    series.fields.map((f) => Number(record[f] ?? 0)),
  )
  series.samples++
}

/** The KPI history becomes one series per KPI (`kpi:<key>`), so each has its own unit and axis. */
const splitKpis = (state: ViewState, record: Readonly<Record<string, unknown>>): void => {
  const fields = Object.keys(record).filter((k) => k !== "tUs" && typeof record[k] === "number")
  const units = unitsOf(record, fields)
  fields.forEach((field, i) => {
    addSample(
      state,
      { tUs: record.tUs, [field]: record[field], units: { [field]: units[i] } },
      `kpi:${field}`,
      KPI_SERIES,
    )
  })
}

const addFaultWindow = (state: ViewState, window: FaultWindow): void => {
  const windows = state.faultWindows
  if (!windows.has(window.key) && windows.size >= VIEW_LIMITS.faultWindowsMax)
    windows.delete(windows.keys().next().value!)
  windows.set(window.key, window)
}

const logCommand = (state: ViewState, entry: CommandEntry): void => {
  state.commandLog = [entry, ...state.commandLog].slice(0, VIEW_LIMITS.commandLogMax)
}

/** Fault windows open at `tUs` (started, and not ended by then). */
export const activeFaults = (state: ViewState, tUs: number): FaultWindow[] =>
  [...state.faultWindows.values()].filter((w) => w.startUs <= tUs && (w.endUs === null || tUs < w.endUs))

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
  if (record.series === KPI_SERIES) {
    splitKpis(state, record)
    return
  }
  if (typeof record.series === "string") {
    addSample(state, record, record.series, record.series)
    return
  }
  const payload = record.payload
  switch (record.signal) {
    case PARTY_LOAD_SIGNAL: {
      const r = decodePartyLoad(payload)
      if (Result.isFailure(r)) {
        state.badRecords++
        return
      }
      state.parties.set(r.success.key, r.success)
      addPartyLoad(state.partyHistory, record.tUs, r.success)
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
    case ISSUANCE_LATENCY_SIGNAL: {
      const r = decodeLatency(payload)
      if (Result.isSuccess(r)) state.latency = r.success
      else state.badRecords++
      return
    }
    case FAULT_WINDOW_SIGNAL: {
      const r = decodeFaultWindow(payload)
      if (Result.isSuccess(r)) addFaultWindow(state, r.success)
      else state.badRecords++
      return
    }
  }
}

/** A `window` answer becomes its series' refined span (the KPI series by their one field). */
const addWindow = (state: ViewState, w: SeriesWindow): void => {
  const name = w.series === KPI_SERIES && w.fields.length === 1 ? `kpi:${w.fields[0]}` : w.series
  const series = state.series.get(name)
  if (series === undefined) return
  const values = series.fields.map((f) => w.values[w.fields.indexOf(f)])
  if (values.some((v) => v === undefined || v.length !== w.t.length)) {
    state.badRecords++
    return
  }
  series.refined = {
    fromUs: w.fromUs,
    toUs: w.toUs,
    t: w.t,
    values: values as ReadonlyArray<ReadonlyArray<number>>,
    resolution: w.resolution,
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
      for (const r of frameRecords(message)) applyRecord(state, r)
      return state
    case "detail":
      state.flowDetails.delete(message.flow)
      for (const r of message.records) applyRecord(state, r)
      return state
    case "explanation":
      state.explanations.set(message.kpi, message.paragraphs)
      return state
    case "window":
      addWindow(state, message)
      return state
    case "ack":
      state.lastAck = message.command
      logCommand(state, { ok: true, text: `${message.command} accepted` })
      return state
    case "error":
      state.lastError = `${message.code}: ${message.message}`
      logCommand(state, { ok: false, text: `${message.code}: ${message.message}`.slice(0, 160) })
      return state
  }
}
