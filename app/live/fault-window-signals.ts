/**
 * Turns the pilot world's fault windows (model/world/pilot: outages opened and closed by the fault
 * targets, degradations with their duration) into fault-window signals for the viewer: each window
 * once when it opens and once more when its end becomes known. Read between kernel runs like the
 * rest of pilot-signals.ts, never as kernel events, so the event-log digest is the headless run's.
 */
import { FAULT_WINDOW_SIGNAL, type FaultWindow } from "../../model/signals/fault-window.ts"
import type { FaultWindowRecord } from "../../model/world/pilot/pilot-world.ts"
import type { Sink } from "../../sim/recorder/sink.ts"

export class FaultWindowSignals {
  /** Per window already sent: the end it was sent with (-1 while open). */
  private readonly sent = new Map<FaultWindowRecord, number>()

  constructor(private readonly out: Sink) {}

  /** Sends every window that opened, or whose end became known, since the last call. */
  sample(windows: ReadonlyArray<FaultWindowRecord>, nowUs: number): void {
    for (const w of windows) {
      if (w.startUs > nowUs || this.sent.get(w) === w.endUs) continue
      this.sent.set(w, w.endUs)
      this.out.write({ tUs: nowUs, signal: FAULT_WINDOW_SIGNAL, payload: windowOf(w) })
    }
  }
}

export const windowOf = (w: FaultWindowRecord): FaultWindow => ({
  // Keyed by the party and its start, a degradation apart from an outage that starts with it.
  key: `${w.party}${w.kind === "degraded" ? " (degraded)" : ""}@${w.startUs}`.slice(0, 96),
  party: w.party.slice(0, 64),
  kind: w.kind,
  startUs: w.startUs,
  endUs: w.endUs === -1 ? null : w.endUs,
})
