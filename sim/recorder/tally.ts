/**
 * A per-observation statistic (count, mean, variance, min, max) by Welford's update, which stays
 * accurate over hundreds of millions of observations where a sum of squares would not.
 */
export class Tally {
  private n = 0
  private meanValue = 0
  private m2 = 0
  private minValue = Number.POSITIVE_INFINITY
  private maxValue = Number.NEGATIVE_INFINITY

  constructor(readonly name: string) {}

  observe(x: number): void {
    this.n++
    const d = x - this.meanValue
    this.meanValue += d / this.n
    this.m2 += d * (x - this.meanValue)
    if (x < this.minValue) this.minValue = x
    if (x > this.maxValue) this.maxValue = x
  }

  get count(): number {
    return this.n
  }

  get mean(): number {
    return this.n === 0 ? Number.NaN : this.meanValue
  }

  /** The unbiased sample variance. */
  get variance(): number {
    return this.n < 2 ? Number.NaN : this.m2 / (this.n - 1)
  }

  get min(): number {
    return this.minValue
  }

  get max(): number {
    return this.maxValue
  }

  reset(): void {
    this.n = 0
    this.meanValue = 0
    this.m2 = 0
    this.minValue = Number.POSITIVE_INFINITY
    this.maxValue = Number.NEGATIVE_INFINITY
  }
}
