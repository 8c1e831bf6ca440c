/**
 * Folds the recorder's records into bounded frames (DESIGN.md §4 "Viewer": aggregated frames of
 * bounded size). A record is routed one of three ways:
 * - `latest` under a key: only the newest record per key goes out (a party's load, a KPI), and the
 *   newest per key is also kept for the snapshot a newly connected client gets;
 * - `append` into a group: every record goes out (time-series samples, flow summaries) unless a
 *   group overflows its bound between two frames, in which case every second record is dropped,
 *   which keeps the group's span evenly covered; each group's history since the run began feeds
 *   the snapshot, thinned evenly (every second record, then every fourth, …) as it reaches its
 *   bound, so a client that joins late still sees the whole run, from its first instant;
 * - `omit`: not framed at all (a flow's detailed steps, served on request).
 * The number of keys and groups is bounded too, so no input can grow the aggregator without limit.
 */
import type { RecordLine } from "../recorder/sink.ts"
import { PROTOCOL_LIMITS } from "./protocol.ts"

export type Route =
  | { readonly mode: "latest"; readonly key: string }
  | { readonly mode: "append"; readonly group: string }
  | { readonly mode: "omit" }

export interface AggregatorOptions {
  readonly route: (record: RecordLine) => Route
  /** Records one frame may carry. */
  readonly recordsPerFrameMax?: number
  /** Distinct `latest` keys; records with new keys beyond it are dropped. */
  readonly keysMax?: number
  /** Distinct `append` groups; records of new groups beyond it are dropped. */
  readonly groupsMax?: number
  /** Records one group may collect between two frames before it is decimated. */
  readonly groupPendingMax?: number
  /** Records per group kept for snapshots (the whole run, evenly thinned to this bound). */
  readonly groupHistoryMax?: number
}

export interface FrameContent {
  readonly records: ReadonlyArray<RecordLine>
  readonly dropped: number
}

/** Keeps every second element, in place; returns how many were removed. */
const decimate = (items: RecordLine[]): number => {
  let kept = 0
  for (let i = 0; i < items.length; i += 2) items[kept++] = items[i]!
  const removed = items.length - kept
  items.length = kept
  return removed
}

/** A group's records since the run began: every `stride`-th record (counted by `seen`). */
interface GroupHistory {
  readonly kept: RecordLine[]
  stride: number
  seen: number
}

export class FrameAggregator {
  private readonly latestAll = new Map<string, RecordLine>()
  private readonly latestPending = new Map<string, RecordLine>()
  private readonly pending = new Map<string, RecordLine[]>()
  private readonly history = new Map<string, GroupHistory>()
  private dropped = 0
  private readonly recordsPerFrameMax: number
  private readonly keysMax: number
  private readonly groupsMax: number
  private readonly groupPendingMax: number
  private readonly groupHistoryMax: number

  constructor(private readonly options: AggregatorOptions) {
    this.recordsPerFrameMax = options.recordsPerFrameMax ?? PROTOCOL_LIMITS.frameRecordsMax
    this.keysMax = options.keysMax ?? 256
    this.groupsMax = options.groupsMax ?? 32
    this.groupPendingMax = options.groupPendingMax ?? 256
    this.groupHistoryMax = options.groupHistoryMax ?? 1024
    if (this.recordsPerFrameMax > PROTOCOL_LIMITS.frameRecordsMax)
      throw new RangeError(`recordsPerFrameMax ${this.recordsPerFrameMax} exceeds the protocol's bound`)
  }

  /** Takes one record from the recorder (a BroadcastSink subscriber). */
  add(record: RecordLine): void {
    const route = this.options.route(record)
    if (route.mode === "omit") return
    if (route.mode === "latest") {
      this.addLatest(route.key, record)
      return
    }
    let group = this.pending.get(route.group)
    if (group === undefined) {
      if (this.history.size >= this.groupsMax && !this.history.has(route.group)) {
        this.dropped++
        return
      }
      group = []
      this.pending.set(route.group, group)
    }
    group.push(record)
    if (group.length > this.groupPendingMax) this.dropped += decimate(group)
  }

  private addLatest(key: string, record: RecordLine): void {
    if (!this.latestAll.has(key) && this.latestAll.size >= this.keysMax) {
      this.dropped++
      return
    }
    this.latestAll.set(key, record)
    this.latestPending.set(key, record)
  }

  /** The records since the last call, within the frame bound; clears them. */
  take(): FrameContent {
    const latest = [...this.latestPending.values()]
    this.latestPending.clear()
    const appended: RecordLine[] = []
    for (const [name, group] of this.pending) {
      appended.push(...group)
      this.remember(name, group)
    }
    this.pending.clear()
    const content = this.fit(latest, appended)
    const dropped = this.dropped + content.dropped
    this.dropped = 0
    return { records: content.records, dropped }
  }

  /**
   * The state so far for a client that just connected, in frames of at most the frame bound: the
   * newest per key first, then every group's history in time order.
   */
  snapshotFrames(): FrameContent[] {
    const records: RecordLine[] = [...this.latestAll.values()]
    for (const group of this.history.values()) records.push(...group.kept)
    const frames: FrameContent[] = []
    for (let i = 0; i < records.length; i += this.recordsPerFrameMax)
      frames.push({ records: records.slice(i, i + this.recordsPerFrameMax), dropped: 0 })
    return frames.length === 0 ? [{ records: [], dropped: 0 }] : frames
  }

  /** The snapshot as one frame (decimated into the frame bound). */
  snapshot(): FrameContent {
    const appended: RecordLine[] = []
    for (const group of this.history.values()) appended.push(...group.kept)
    return this.fit([...this.latestAll.values()], appended)
  }

  /** Forgets everything (the run was replaced). */
  reset(): void {
    this.latestAll.clear()
    this.latestPending.clear()
    this.pending.clear()
    this.history.clear()
    this.dropped = 0
  }

  private remember(name: string, group: ReadonlyArray<RecordLine>): void {
    let history = this.history.get(name)
    if (history === undefined) {
      history = { kept: [], stride: 1, seen: 0 }
      this.history.set(name, history)
    }
    for (const record of group) {
      if (history.seen++ % history.stride !== 0) continue
      history.kept.push(record)
      if (history.kept.length > this.groupHistoryMax) {
        decimate(history.kept)
        history.stride *= 2
      }
    }
  }

  /** Keeps the newest-per-key records whole and decimates the appended ones into the room left. */
  private fit(latest: RecordLine[], appended: RecordLine[]): FrameContent {
    let dropped = 0
    if (latest.length > this.recordsPerFrameMax) {
      dropped += latest.length - this.recordsPerFrameMax
      latest.length = this.recordsPerFrameMax
    }
    const room = this.recordsPerFrameMax - latest.length
    if (room === 0) {
      dropped += appended.length
      appended.length = 0
    }
    while (appended.length > room) dropped += decimate(appended)
    latest.push(...appended)
    return { records: latest, dropped }
  }
}
