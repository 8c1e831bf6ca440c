/**
 * Replays a recorded run file (sim/server/protocol.ts "recorded run files") without a server: the
 * header gives the run, each record goes through the same fold as live frames (view-state.ts), and
 * the end line gives the final progress and the SM3 digest. A file of raw recorder records without
 * header or end is accepted too. Bad lines are counted and named, never fatal.
 */
import { Result, Schema } from "effect"
import { RunFileEnd, RunFileHeader, type RunInfo } from "../../sim/server/protocol.ts"
import { applyRecord, emptyState, type ViewState } from "./view-state.ts"

const LINES_MAX = 5_000_000
const decodeHeader = Schema.decodeUnknownResult(RunFileHeader)
const decodeEnd = Schema.decodeUnknownResult(RunFileEnd)

const parseLine = (line: string): unknown => {
  try {
    return JSON.parse(line)
  } catch {
    return undefined
  }
}

const applyLine = (state: ViewState, value: unknown, lastTUs: { t: number; events: number }): boolean => {
  if (value === null || typeof value !== "object") return false
  const record = value as Record<string, unknown>
  if (record.type === "run") {
    const header = decodeHeader(record)
    if (Result.isFailure(header)) return false
    state.run = header.success.run
    return true
  }
  if (record.type === "end") {
    const end = decodeEnd(record)
    if (Result.isFailure(end)) return false
    state.digest = end.success.digest
    lastTUs.t = end.success.tUs
    lastTUs.events = end.success.events
    return true
  }
  if (typeof record.tUs !== "number") return false
  lastTUs.t = Math.max(lastTUs.t, record.tUs)
  applyRecord(state, record)
  return true
}

/** A run file parsed once for the player: its run, its records in time order, its end. */
export interface ParsedRunFile {
  readonly run: RunInfo | null
  readonly records: ReadonlyArray<Record<string, unknown>>
  readonly endUs: number
  readonly events: number
  readonly digest: string | null
  readonly badLines: ReadonlyArray<number>
}

export const parseRunFile = (text: string): ParsedRunFile => {
  let run: RunInfo | null = null
  let digest: string | null = null
  let endUs = 0
  let events = 0
  const records: Array<Record<string, unknown>> = []
  const badLines: number[] = []
  const lines = text.split("\n")
  for (let i = 0; i < lines.length && i < LINES_MAX; i++) {
    const line = lines[i]!.trim()
    if (line === "") continue
    const value = parseLine(line)
    const record = value !== null && typeof value === "object" ? (value as Record<string, unknown>) : null
    const header = record?.type === "run" ? decodeHeader(record) : null
    const end = record?.type === "end" ? decodeEnd(record) : null
    if (header !== null && Result.isSuccess(header)) run = header.success.run
    else if (end !== null && Result.isSuccess(end)) {
      digest = end.success.digest
      endUs = Math.max(endUs, end.success.tUs)
      events = end.success.events
    } else if (record !== null && header === null && end === null && typeof record.tUs === "number") {
      records.push(record)
      endUs = Math.max(endUs, record.tUs)
    } else if (badLines.length < 100) badLines.push(i + 1)
  }
  // The recorder writes in time order; a stable sort keeps a hand-made file playable too.
  records.sort((a, b) => (a.tUs as number) - (b.tUs as number))
  return { run, records, endUs, events, digest, badLines }
}

/** The text of a run file's bytes: gzip-compressed (a `.ndjson.gz` recording) or plain. */
export const runFileText = async (bytes: Uint8Array): Promise<string> => {
  if (bytes[0] !== 0x1f || bytes[1] !== 0x8b) return new TextDecoder().decode(bytes)
  const stream = new Blob([new Uint8Array(bytes)]).stream().pipeThrough(new DecompressionStream("gzip"))
  return new Response(stream).text()
}

export interface Replay {
  readonly state: ViewState
  readonly lines: number
  readonly badLines: ReadonlyArray<number>
}

export const replayRunFile = (text: string): Replay => {
  const state = emptyState("replay")
  const seen = { t: 0, events: 0 }
  const badLines: number[] = []
  const lines = text.split("\n")
  let count = 0
  for (let i = 0; i < lines.length && i < LINES_MAX; i++) {
    const line = lines[i]!.trim()
    if (line === "") continue
    count++
    if (!applyLine(state, parseLine(line), seen) && badLines.length < 100) badLines.push(i + 1)
  }
  state.progress = { state: "done", tUs: seen.t, events: seen.events, eventsPerSecond: 0, speed: null }
  if (badLines.length > 0)
    state.lastError = `${badLines.length} unreadable line(s), first at line ${badLines[0]}`
  return { state, lines: count, badLines }
}
