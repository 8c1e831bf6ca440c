/**
 * The run's statistics by name: counters, tallies, time-weighted values and histograms, created
 * on first use. `warmupReset` forgets everything observed so far (the initial transient) in one
 * call, and `summary` gives a JSON-ready view for reports.
 */
import { Counter } from "./counter.ts"
import { Histogram, type HistogramSummary } from "./histogram.ts"
import { Tally } from "./tally.ts"
import { TimeWeighted } from "./time-weighted.ts"

export interface RecorderSummary {
  readonly counters: Record<string, number>
  readonly tallies: Record<string, { count: number; mean: number; variance: number }>
  readonly timeWeighted: Record<string, { mean: number; max: number }>
  readonly histograms: Record<string, HistogramSummary>
}

export class Recorder {
  private readonly counters = new Map<string, Counter>()
  private readonly tallies = new Map<string, Tally>()
  private readonly weighted = new Map<string, TimeWeighted>()
  private readonly histograms = new Map<string, Histogram>()

  counter(name: string): Counter {
    return getOrCreate(this.counters, name, () => new Counter(name))
  }

  tally(name: string): Tally {
    return getOrCreate(this.tallies, name, () => new Tally(name))
  }

  timeWeighted(name: string, startUs = 0): TimeWeighted {
    return getOrCreate(this.weighted, name, () => new TimeWeighted(name, startUs))
  }

  histogram(name: string): Histogram {
    return getOrCreate(this.histograms, name, () => new Histogram(name))
  }

  warmupReset(nowUs: number): void {
    for (const c of this.counters.values()) c.reset()
    for (const t of this.tallies.values()) t.reset()
    for (const w of this.weighted.values()) w.reset(nowUs)
    for (const h of this.histograms.values()) h.reset()
  }

  summary(nowUs: number): RecorderSummary {
    const map = <V, R>(m: Map<string, V>, f: (v: V) => R): Record<string, R> =>
      Object.fromEntries([...m].map(([k, v]) => [k, f(v)]))
    return {
      counters: map(this.counters, (c) => c.value),
      tallies: map(this.tallies, (t) => ({ count: t.count, mean: t.mean, variance: t.variance })),
      timeWeighted: map(this.weighted, (w) => ({ mean: w.mean(nowUs), max: w.max })),
      histograms: map(this.histograms, (h) => h.summary()),
    }
  }
}

const getOrCreate = <V>(m: Map<string, V>, name: string, make: () => V): V => {
  let v = m.get(name)
  if (v === undefined) {
    v = make()
    m.set(name, v)
  }
  return v
}
