/**
 * Replays a recorded run file (sim/server/protocol.ts "recorded run files") without a server: the
 * header gives the run, each record goes through the same fold as live frames (view-state.ts), and
 * the end line gives the final progress and the SM3 digest. A file of raw recorder records without
 * header or end is accepted too. Bad lines are counted and named, never fatal.
 */
import { Result, Schema } from "effect"
import { RunFileEnd, RunFileHeader } from "../../sim/server/protocol.ts"
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
