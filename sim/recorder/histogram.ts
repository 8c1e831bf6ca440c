/**
 * A latency histogram in bounded memory, in the manner of HdrHistogram: log-linear buckets with
 * 2^(SUB_BITS - 1) linear sub-buckets per power of two, so every non-negative integer up to 2^53
 * lands in one of 6,144 buckets (48 KiB) and a reported quantile is within 2^-(SUB_BITS - 1)
 * (0.8 %) of a recorded value. Values below 2^SUB_BITS are exact. Min, max, count and mean are
 * kept exactly.
 */
const SUB_BITS = 8
const LINEAR = 2 ** SUB_BITS
const HALF = LINEAR / 2
const SHIFT_MAX = 53 - (SUB_BITS - 1)
export const HISTOGRAM_BUCKETS = LINEAR + SHIFT_MAX * HALF
const TWO_32 = 4294967296

const bitLength = (v: number): number =>
  v < TWO_32 ? 32 - Math.clz32(v) : 64 - Math.clz32(Math.floor(v / TWO_32))

export const bucketOf = (v: number): number => {
  if (v < LINEAR) return v
  const shift = bitLength(v) - SUB_BITS
  const sub = Math.floor(v / 2 ** shift)
  return LINEAR + (shift - 1) * HALF + (sub - HALF)
}

/** The smallest value that falls in bucket b, and the bucket's width. */
const bucketLow = (b: number): number => {
  if (b < LINEAR) return b
  const shift = Math.floor((b - LINEAR) / HALF) + 1
  const sub = ((b - LINEAR) % HALF) + HALF
  return sub * 2 ** shift
}

const bucketWidth = (b: number): number => (b < LINEAR ? 1 : 2 ** (Math.floor((b - LINEAR) / HALF) + 1))

export interface HistogramSummary {
  readonly count: number
  readonly mean: number
  readonly min: number
  readonly p50: number
  readonly p95: number
  readonly p99: number
  readonly max: number
}

const SUMMARY_QUANTILES: ReadonlyArray<number> = [0.5, 0.95, 0.99]

export class Histogram {
  private readonly counts = new Float64Array(HISTOGRAM_BUCKETS)
  private n = 0
  private sum = 0
  private minValue = Number.POSITIVE_INFINITY
  private maxValue = 0

  constructor(readonly name: string) {}

  /** Records one non-negative integer value (µs, bytes, ...). */
  record(value: number): void {
    if (!(value >= 0 && value <= Number.MAX_SAFE_INTEGER))
      throw new RangeError(`${this.name}: value ${value}`)
    const v = Math.floor(value)
    this.counts[bucketOf(v)]!++
    this.n++
    this.sum += v
    if (v < this.minValue) this.minValue = v
    if (v > this.maxValue) this.maxValue = v
  }

  get count(): number {
    return this.n
  }

  /** The value at quantile q ∈ [0, 1], as `quantiles` defines it. */
  quantile(q: number): number {
    return this.quantiles([q])[0]!
  }

  /**
   * The values at quantiles `qs` (each in [0, 1], ascending), in one pass over the buckets from the
   * minimum's on (the viewer asks for p50, p95 and p99 of every path once a simulated day): for
   * each, the middle of the bucket holding the ⌈q·n⌉-th smallest value, clamped to the exact min
   * and max so p100 is the true maximum.
   */
  quantiles(qs: ReadonlyArray<number>): number[] {
    const out: number[] = []
    for (let i = 0; i < qs.length; i++) {
      const q = qs[i]!
      if (!(q >= 0 && q <= 1)) throw new RangeError(`quantile ${q}`)
      if (i > 0 && q < qs[i - 1]!) throw new RangeError(`quantiles ${qs.join(", ")}: not ascending`)
      out.push(this.n === 0 ? Number.NaN : this.maxValue)
    }
    if (this.n === 0) return out
    let next = 0
    let rank = Math.max(1, Math.ceil(qs[0]! * this.n))
    let seen = 0
    for (let b = bucketOf(this.minValue); b < HISTOGRAM_BUCKETS && next < qs.length; b++) {
      seen += this.counts[b]!
      if (seen < rank) continue
      const mid = bucketLow(b) + Math.floor((bucketWidth(b) - 1) / 2)
      const value = Math.min(this.maxValue, Math.max(this.minValue, mid))
      // Every quantile whose rank this bucket reaches lies in it.
      while (next < qs.length && seen >= rank) {
        out[next++] = value
        if (next < qs.length) rank = Math.max(1, Math.ceil(qs[next]! * this.n))
      }
    }
    return out
  }

  summary(): HistogramSummary {
    const [p50, p95, p99] = this.quantiles(SUMMARY_QUANTILES) as [number, number, number]
    return {
      count: this.n,
      mean: this.n === 0 ? Number.NaN : this.sum / this.n,
      min: this.n === 0 ? Number.NaN : this.minValue,
      p50,
      p95,
      p99,
      max: this.n === 0 ? Number.NaN : this.maxValue,
    }
  }

  reset(): void {
    this.counts.fill(0)
    this.n = 0
    this.sum = 0
    this.minValue = Number.POSITIVE_INFINITY
    this.maxValue = 0
  }
}
