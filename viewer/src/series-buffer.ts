/**
 * A time series that keeps the whole run at bounded memory (issue [viewer] 1: "charts with the whole
 * history"). Samples arrive in time order; while fewer than `capacity` points are kept every sample
 * is a point. At the bound the buffer halves its resolution: each run of four points becomes two,
 * one carrying every field's minimum over the run and one its maximum (in the order they occurred),
 * placed at the run's first and last instant. From then on incoming samples are folded the same way,
 * `stride` raw samples at a time, so the density stays uniform over the whole run and no extreme
 * (a queue's peak, an outage's dip) is ever lost — only the instant inside its bucket blurs.
 *
 * The newest raw sample is always shown (`view`), so a live chart ends where the run is.
 */
export interface SeriesView {
  readonly t: ReadonlyArray<number>
  readonly values: ReadonlyArray<ReadonlyArray<number>>
}

export class SeriesBuffer {
  readonly t: number[] = []
  readonly values: number[][]
  /** Raw samples folded into one committed pair of points; 1 until the first compaction (a point each). */
  private stride = 1
  private readonly pendingT: number[] = []
  private readonly pendingValues: number[][]

  constructor(
    readonly fields: ReadonlyArray<string>,
    readonly capacity = 2048,
  ) {
    if (capacity < 8 || capacity % 4 !== 0) throw new RangeError(`capacity ${capacity}: a multiple of 4, ≥ 8`)
    this.values = fields.map(() => [])
    this.pendingValues = fields.map(() => [])
  }

  /** Raw samples one kept point stands for (1 = full resolution). */
  get resolution(): number {
    return this.stride === 1 ? 1 : this.stride / 2
  }

  /** Takes one sample; samples at or before the last one are ignored (the series is a function of time). */
  push(tUs: number, sample: ReadonlyArray<number>): void {
    const last = this.pendingT.at(-1) ?? this.t.at(-1)
    if (last !== undefined && tUs <= last) return
    if (this.stride === 1) {
      this.commit(tUs, sample)
      return
    }
    this.pendingT.push(tUs)
    for (let i = 0; i < this.fields.length; i++) this.pendingValues[i]!.push(sample[i] ?? 0)
    if (this.pendingT.length === this.stride) this.flushPending()
  }

  /**
   * The points to draw: the committed ones, then the bucket still filling as one sample (while it
   * holds one) or as its extremes placed at its first and newest instant, so the chart ends where
   * the run is and shows the bucket's extremes already.
   */
  view(): SeriesView {
    const n = this.pendingT.length
    if (n === 0) return { t: this.t, values: this.values }
    if (n === 1) {
      return {
        t: [...this.t, this.pendingT[0]!],
        values: this.values.map((v, i) => [...v, this.pendingValues[i]![0]!]),
      }
    }
    return {
      t: [...this.t, this.pendingT[0]!, this.pendingT[n - 1]!],
      values: this.values.map((v, i) => [...v, ...extremesInOrder(this.pendingValues[i]!)]),
    }
  }

  private commit(tUs: number, sample: ReadonlyArray<number>): void {
    this.t.push(tUs)
    for (let i = 0; i < this.fields.length; i++) this.values[i]!.push(sample[i] ?? 0)
    if (this.t.length >= this.capacity) this.compact()
  }

  private flushPending(): void {
    const n = this.pendingT.length
    this.t.push(this.pendingT[0]!, this.pendingT[n - 1]!)
    for (let i = 0; i < this.fields.length; i++)
      this.values[i]!.push(...extremesInOrder(this.pendingValues[i]!))
    this.pendingT.length = 0
    for (const v of this.pendingValues) v.length = 0
    if (this.t.length >= this.capacity) this.compact()
  }

  /** Halves the kept points: every four become the min and max of each field, in time order. */
  private compact(): void {
    const t = this.t
    const out = t.length >> 2
    for (let k = 0; k < out; k++) {
      t[2 * k] = t[4 * k]!
      t[2 * k + 1] = t[4 * k + 3]!
    }
    for (const v of this.values) {
      for (let k = 0; k < out; k++) {
        const [first, second] = extremesInOrder(v.slice(4 * k, 4 * k + 4))
        v[2 * k] = first
        v[2 * k + 1] = second
      }
    }
    // Points beyond the last whole run of four (none while capacity is a multiple of 4) are kept.
    const tail = t.length - 4 * out
    for (let j = 0; j < tail; j++) {
      t[2 * out + j] = t[4 * out + j]!
      for (const v of this.values) v[2 * out + j] = v[4 * out + j]!
    }
    t.length = 2 * out + tail
    for (const v of this.values) v.length = 2 * out + tail
    // Before: a point per sample, so four points were four samples; after: a pair per 2 × stride.
    this.stride = this.stride === 1 ? 4 : this.stride * 2
  }
}

/** The minimum and the maximum of `xs`, the one that occurred first first. */
const extremesInOrder = (xs: ReadonlyArray<number>): [number, number] => {
  let lo = 0
  let hi = 0
  for (let i = 1; i < xs.length; i++) {
    if (xs[i]! < xs[lo]!) lo = i
    if (xs[i]! > xs[hi]!) hi = i
  }
  return lo <= hi ? [xs[lo]!, xs[hi]!] : [xs[hi]!, xs[lo]!]
}
