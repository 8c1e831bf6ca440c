/**
 * The server's copy of every time series at full resolution, for the viewer's zoom (issue [viewer]
 * 1: "downsampling that keeps extremes … refined as the user zooms"). The browser keeps each
 * series in a bounded number of min/max buckets (viewer/src/series-buffer.ts); when the user
 * zooms into a span narrower than those buckets, it asks for that span (`window`) and the server
 * answers from here.
 *
 * Bounds (SERIES_STORE_LIMITS): at most `seriesMax` series of at most `fieldsMax` numeric fields,
 * each keeping at most `samplesMax` points in typed arrays (8 bytes a number), so the store never
 * holds more than seriesMax × (fieldsMax + 1) × samplesMax × 8 bytes (≈ 37.7 MB; the pilot's two
 * series of four fields take 1.3 MB). Under the bound every sample is kept as it came: the pilot
 * samples every two simulated hours, ~13,150 samples in three years, so a whole pilot run stays at
 * full resolution. Past it the store halves itself the way the browser's buffer does — every four
 * points become each field's minimum and maximum in time order at the run's first and last
 * instant — so a longer run keeps every extreme at a coarser step, and `resolution` says so.
 */
import type { RecordLine } from "../recorder/sink.ts"

export const SERIES_STORE_LIMITS = {
  seriesMax: 32,
  fieldsMax: 8,
  /** Points per series; a multiple of 4 (the halving takes runs of four). */
  samplesMax: 16_384,
} as const

/** A span of one series as the viewer draws it. */
export interface SeriesWindowData {
  readonly fields: ReadonlyArray<string>
  readonly t: number[]
  readonly values: number[][]
  /** Raw samples one returned point stands for at most (1 = every sample as it came). */
  readonly resolution: number
}

class StoredSeries {
  t = new Float64Array(256)
  values: Float64Array[]
  n = 0
  /** Raw samples folded into one kept pair after a halving; 1 while every sample is kept. */
  stride = 1
  private readonly pendingT: number[] = []
  private readonly pendingValues: number[][]

  constructor(
    readonly fields: ReadonlyArray<string>,
    private readonly capacity: number,
  ) {
    this.values = fields.map(() => new Float64Array(256))
    this.pendingValues = fields.map(() => [])
  }

  get resolution(): number {
    return this.stride === 1 ? 1 : this.stride / 2
  }

  add(record: RecordLine): void {
    const tUs = record.tUs as number
    const last = this.pendingT.at(-1) ?? (this.n > 0 ? this.t[this.n - 1]! : undefined)
    if (last !== undefined && tUs <= last) return
    if (this.stride === 1) {
      this.put(tUs, (i) => Number(record[this.fields[i]!] ?? 0))
      return
    }
    this.pendingT.push(tUs)
    for (let i = 0; i < this.fields.length; i++)
      this.pendingValues[i]!.push(Number(record[this.fields[i]!] ?? 0))
    if (this.pendingT.length < this.stride) return
    const k = this.pendingT.length - 1
    const pairs = this.pendingValues.map(extremesInOrder)
    this.put(this.pendingT[0]!, (i) => pairs[i]![0])
    this.put(this.pendingT[k]!, (i) => pairs[i]![1])
    this.pendingT.length = 0
    for (const v of this.pendingValues) v.length = 0
  }

  private put(tUs: number, value: (field: number) => number): void {
    if (this.n === this.t.length) this.grow()
    this.t[this.n] = tUs
    for (let i = 0; i < this.values.length; i++) this.values[i]![this.n] = value(i)
    this.n++
    if (this.n === this.capacity) this.halve()
  }

  private grow(): void {
    const size = Math.min(this.capacity, this.t.length * 2)
    const bigger = (a: Float64Array) => {
      const b = new Float64Array(size)
      b.set(a)
      return b
    }
    this.t = bigger(this.t)
    this.values = this.values.map(bigger)
  }

  /** Every four points become two: each field's min and max in time order, at the run's ends. */
  private halve(): void {
    const out = this.n >> 2
    for (let k = 0; k < out; k++) {
      const t0 = this.t[4 * k]!
      const t3 = this.t[4 * k + 3]!
      this.t[2 * k] = t0
      this.t[2 * k + 1] = t3
    }
    for (const v of this.values) {
      for (let k = 0; k < out; k++) {
        const [first, second] = extremesInOrder(v.subarray(4 * k, 4 * k + 4))
        v[2 * k] = first
        v[2 * k + 1] = second
      }
    }
    this.n = 2 * out
    this.stride = this.stride === 1 ? 4 : this.stride * 2
  }

  /** The kept points, then the bucket still filling as raw samples. */
  private pointAt(j: number): { t: number; v: (field: number) => number } {
    if (j < this.n) return { t: this.t[j]!, v: (i) => this.values[i]![j]! }
    const p = j - this.n
    return { t: this.pendingT[p]!, v: (i) => this.pendingValues[i]![p]! }
  }

  get length(): number {
    return this.n + this.pendingT.length
  }

  /** The first index whose instant is after `tUs` (at or after it when not `strictly`). */
  private firstAfter(tUs: number, strictly: boolean): number {
    let lo = 0
    let hi = this.length
    while (lo < hi) {
      const mid = (lo + hi) >> 1
      const t = this.pointAt(mid).t
      if (t < tUs || (strictly && t === tUs)) lo = mid + 1
      else hi = mid
    }
    return lo
  }

  /**
   * [fromUs, toUs] with one point beyond each end (so lines reach the edges), as it is when it
   * fits in `pointsMax`, else as min/max pairs of equal runs of points.
   */
  window(fromUs: number, toUs: number, pointsMax: number): SeriesWindowData {
    const first = Math.max(0, this.firstAfter(fromUs, false) - 1)
    const end = Math.min(this.length, this.firstAfter(toUs, true) + 1)
    const count = Math.max(0, end - first)
    const per = count <= pointsMax ? 1 : Math.ceil(count / Math.max(1, pointsMax >> 1))
    const t: number[] = []
    const values: number[][] = this.fields.map(() => [])
    for (let j = first; j < end; j += per) {
      const last = Math.min(end, j + per) - 1
      if (per === 1 || last === j) {
        const p = this.pointAt(j)
        t.push(p.t)
        for (let i = 0; i < values.length; i++) values[i]!.push(p.v(i))
        continue
      }
      t.push(this.pointAt(j).t, this.pointAt(last).t)
      values.forEach((v, i) => {
        const run: number[] = []
        for (let q = j; q <= last; q++) run.push(this.pointAt(q).v(i))
        v.push(...extremesInOrder(run))
      })
    }
    return { fields: this.fields, t, values, resolution: this.resolution * per }
  }
}

/** The minimum and the maximum of `xs`, the one that occurred first first. */
const extremesInOrder = (xs: ArrayLike<number>): [number, number] => {
  let lo = 0
  let hi = 0
  for (let i = 1; i < xs.length; i++) {
    if (xs[i]! < xs[lo]!) lo = i
    if (xs[i]! > xs[hi]!) hi = i
  }
  return lo <= hi ? [xs[lo]!, xs[hi]!] : [xs[hi]!, xs[lo]!]
}

export class SeriesStore {
  private readonly series = new Map<string, StoredSeries>()
  /** Records refused by a bound (a series or field too many). */
  refused = 0

  constructor(private readonly samplesMax: number = SERIES_STORE_LIMITS.samplesMax) {
    if (samplesMax < 8 || samplesMax % 4 !== 0) throw new RangeError(`samplesMax ${samplesMax}`)
  }

  /** Takes a time-series record (`{ tUs, series, ...numbers }`); any other record is ignored. */
  add(record: RecordLine): void {
    const name = record.series
    if (typeof name !== "string" || typeof record.tUs !== "number") return
    let s = this.series.get(name)
    if (s === undefined) {
      const fields = Object.keys(record).filter(
        (k) => k !== "tUs" && k !== "series" && typeof record[k] === "number",
      )
      if (
        this.series.size >= SERIES_STORE_LIMITS.seriesMax ||
        fields.length > SERIES_STORE_LIMITS.fieldsMax
      ) {
        this.refused++
        return
      }
      s = new StoredSeries(fields, this.samplesMax)
      this.series.set(name, s)
    }
    s.add(record)
  }

  /**
   * The span [fromUs, toUs] of `name`, only the `fields` asked for (all when empty), in at most
   * `pointsMax` points; null when there is no such series or field.
   */
  window(
    name: string,
    fields: ReadonlyArray<string>,
    fromUs: number,
    toUs: number,
    pointsMax: number,
  ): SeriesWindowData | null {
    const s = this.series.get(name)
    if (s === undefined) return null
    const picked = fields.length === 0 ? s.fields : fields
    const index = picked.map((f) => s.fields.indexOf(f))
    if (index.some((i) => i < 0)) return null
    const w = s.window(fromUs, toUs, pointsMax)
    return { ...w, fields: picked, values: index.map((i) => w.values[i]!) }
  }

  /** Raw samples one kept point of `name` stands for (1 = full resolution); null when unknown. */
  resolutionOf(name: string): number | null {
    return this.series.get(name)?.resolution ?? null
  }

  /** Forgets everything (the run was replaced). */
  reset(): void {
    this.series.clear()
    this.refused = 0
  }
}
