/**
 * Plays a recorded run back (issue [viewer] 6): play, pause, scrub and speed, at any simulated time.
 * The file's records are parsed once (replay-file.ts); the view state at an instant is the fold of
 * every record up to it, exactly the fold live frames go through (view-state.ts), so a replay shows
 * the screens the run showed. Moving forward folds only the new records; moving back folds again
 * from the start (a full 0.1× run folds in about a second).
 */
import type { RunInfo } from "../../sim/server/protocol.ts"
import type { ParsedRunFile } from "./replay-file.ts"
import { applyRecord, emptyState, type ViewState } from "./view-state.ts"

export class ReplayPlayer {
  state: ViewState = emptyState("replay")
  /** The simulated instant shown, µs. */
  tUs = 0
  playing = false
  /** Simulated seconds per wall second. */
  speed = 30 * 86_400
  private cursor = 0

  constructor(private readonly file: ParsedRunFile) {
    this.seek(0)
  }

  get run(): RunInfo | null {
    return this.file.run
  }

  /** The last instant of the recording. */
  get endUs(): number {
    return this.file.endUs
  }

  /** Shows the run as it was at `tUs` (clamped to the recording). */
  seek(tUs: number): void {
    const target = Math.max(0, Math.min(this.endUs, tUs))
    if (target < this.tUs || this.cursor === 0) this.restart()
    this.tUs = target
    this.foldUntil(target)
  }

  /** Advances by `wallMs` of wall time at the current speed; stops at the end. */
  tick(wallMs: number): void {
    if (!this.playing) return
    this.seek(this.tUs + ((this.speed * wallMs) / 1000) * 1e6)
    if (this.tUs >= this.endUs) this.playing = false
  }

  private restart(): void {
    this.state = emptyState("replay")
    this.state.run = this.file.run
    this.state.scenarios = []
    this.cursor = 0
  }

  private foldUntil(tUs: number): void {
    const records = this.file.records
    while (this.cursor < records.length && (records[this.cursor]!.tUs as number) <= tUs)
      applyRecord(this.state, records[this.cursor++]!)
    const done = tUs >= this.endUs
    this.state.digest = done ? this.file.digest : null
    this.state.progress = {
      state: done ? "done" : this.playing ? "running" : "paused",
      tUs,
      events: done ? this.file.events : 0,
      eventsPerSecond: 0,
      speed: this.speed,
    }
    if (this.file.badLines.length > 0)
      this.state.lastError = `${this.file.badLines.length} unreadable line(s), first at line ${this.file.badLines[0]}`
  }
}
