/**
 * End-to-end latency per flow kind from "opened" and "ended" observations keyed by a flow id
 * (an order id, an authorization id): the recorder's bounded log-linear histograms give p50, p95
 * and p99 within 0.8 %. Only flows that ended successfully are timed — a failed order's time says
 * how long the retries lasted, not how long the service took — and failures are counted apart.
 * At most `openMax` flows may be open at once (a bound, asserted), so a leak cannot eat memory.
 */
import { Histogram } from "../../sim/recorder/histogram.ts"
import type { FlowLatency } from "./run-outcome.ts"

export class FlowLatencies {
  private readonly open = new Map<string, { readonly flow: string; readonly startUs: number }>()
  private readonly histograms = new Map<string, Histogram>()
  readonly failed = new Map<string, number>()

  constructor(private readonly openMax = 1 << 22) {}

  opened(id: string, flow: string, tUs: number): void {
    if (this.open.has(id)) return
    if (this.open.size >= this.openMax) throw new Error(`more than ${this.openMax} flows open at once`)
    this.open.set(id, { flow, startUs: tUs })
  }

  /** Ends flow `id`; an id never opened (or already ended) is ignored. */
  ended(id: string, tUs: number, ok: boolean): void {
    const o = this.open.get(id)
    if (o === undefined) return
    this.open.delete(id)
    if (!ok) {
      this.failed.set(o.flow, (this.failed.get(o.flow) ?? 0) + 1)
      return
    }
    let h = this.histograms.get(o.flow)
    if (h === undefined) {
      h = new Histogram(o.flow)
      this.histograms.set(o.flow, h)
    }
    h.record(tUs - o.startUs)
  }

  histogram(flow: string): Histogram | undefined {
    return this.histograms.get(flow)
  }

  /** Every flow that completed at least once, sorted by name. */
  table(): ReadonlyArray<FlowLatency> {
    return [...this.histograms]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([flow, h]) => {
        const s = h.summary()
        return {
          flow,
          count: s.count,
          meanUs: s.mean,
          p50Us: s.p50,
          p95Us: s.p95,
          p99Us: s.p99,
          maxUs: s.max,
        }
      })
  }
}
