/**
 * A progress line for long CLI work on stderr: how far (a bar and a percentage), the simulated
 * date when there is one, events per wall-clock second and the estimated time left. On a terminal
 * it redraws one line in place at most every `intervalMs`; when stderr is not a terminal (a pipe,
 * a CI log) it writes a plain line at most every `plainIntervalMs` and no ANSI codes at all. Wall
 * time is read here, in the CLI, never in sim/ or model/ (DESIGN.md §4).
 */

export interface ProgressUpdate {
  /** Work done and total, in any unit (simulated days, sweep jobs). */
  readonly done: number
  readonly total: number
  /** The simulated date reached, when the work is a simulation. */
  readonly simulatedDate?: string
  /** Events processed so far, for the events/s figure. */
  readonly events?: number
  readonly label?: string
}

export interface ProgressOutput {
  readonly isTTY?: boolean
  write(text: string): unknown
}

const BAR_WIDTH = 24

export const formatEta = (seconds: number): string => {
  if (!Number.isFinite(seconds) || seconds < 0) return "--"
  const s = Math.round(seconds)
  if (s < 60) return `${s}s`
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s`
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, "0")}m`
}

/** The line's text for an update after `elapsedMs` of wall time (pure: tests call it). */
export const progressLine = (u: ProgressUpdate, elapsedMs: number): string => {
  const share = u.total <= 0 ? 1 : Math.min(1, u.done / u.total)
  const filled = Math.round(share * BAR_WIDTH)
  const parts = [
    `[${"#".repeat(filled)}${"-".repeat(BAR_WIDTH - filled)}] ${(share * 100).toFixed(0).padStart(3)}%`,
  ]
  if (u.label !== undefined) parts.push(u.label)
  parts.push(`${u.done}/${u.total}`)
  if (u.simulatedDate !== undefined) parts.push(u.simulatedDate)
  if (u.events !== undefined && elapsedMs > 0)
    parts.push(`${Math.round((u.events * 1000) / elapsedMs).toLocaleString("en-US")} events/s`)
  const eta =
    share > 0 && share < 1 ? ((elapsedMs / share) * (1 - share)) / 1000 : share >= 1 ? 0 : Number.NaN
  parts.push(`ETA ${formatEta(eta)}`)
  return parts.join("  ")
}

export class ProgressBar {
  private readonly startMs = Date.now()
  private lastMs = Number.NEGATIVE_INFINITY
  private drawn = false

  constructor(
    private readonly out: ProgressOutput = process.stderr,
    private readonly intervalMs = 100,
    private readonly plainIntervalMs = 5_000,
  ) {}

  update(u: ProgressUpdate): void {
    const now = Date.now()
    const tty = this.out.isTTY === true
    const last = u.done >= u.total
    if (!last && now - this.lastMs < (tty ? this.intervalMs : this.plainIntervalMs)) return
    this.lastMs = now
    const line = progressLine(u, now - this.startMs)
    if (tty) {
      this.out.write(`\r\x1b[2K${line}`)
      this.drawn = true
    } else this.out.write(`${line}\n`)
  }

  /** Ends the redrawn line so later output starts on a fresh one. */
  finish(): void {
    if (this.drawn) this.out.write("\n")
    this.drawn = false
  }
}
