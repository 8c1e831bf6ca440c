/**
 * A time-weighted statistic (queue length, servers busy): the integral of a piecewise-constant
 * value over simulated time, divided by the observed span. This is the L in Little's law, which a
 * per-event average would get wrong.
 */
export class TimeWeighted {
  private value = 0
  private lastUs = 0
  private startUs = 0
  private area = 0
  private minValue = 0
  private maxValue = 0

  constructor(
    readonly name: string,
    startUs = 0,
  ) {
    this.lastUs = startUs
    this.startUs = startUs
  }

  get current(): number {
    return this.value
  }

  set(nowUs: number, value: number): void {
    if (nowUs < this.lastUs) throw new RangeError(`${this.name}: time went back ${this.lastUs} → ${nowUs}`)
    this.area += this.value * (nowUs - this.lastUs)
    this.lastUs = nowUs
    this.value = value
    if (value > this.maxValue) this.maxValue = value
    if (value < this.minValue) this.minValue = value
  }

  add(nowUs: number, delta: number): void {
    this.set(nowUs, this.value + delta)
  }

  /** The time average over [last reset, nowUs]; the current value if no time has passed. */
  mean(nowUs: number): number {
    const span = nowUs - this.startUs
    if (span <= 0) return this.value
    return (this.area + this.value * (nowUs - this.lastUs)) / span
  }

  get max(): number {
    return this.maxValue
  }

  get min(): number {
    return this.minValue
  }

  /** Forgets the history but keeps the current value (warm-up reset). */
  reset(nowUs: number): void {
    this.area = 0
    this.lastUs = nowUs
    this.startUs = nowUs
    this.minValue = this.value
    this.maxValue = this.value
  }
}
