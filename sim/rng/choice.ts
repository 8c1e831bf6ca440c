/**
 * Discrete choices with integer weights (probabilities as integer ratios, STYLE.md rule 7):
 * weighted choice by cumulative sums and an integer draw, and Zipf over ranks 1..n from a
 * precomputed table (popularity of merchants, apps, services).
 */
import type { Stream } from "./stream.ts"

const upperBound = (cumulative: Float64Array, x: number): number => {
  let lo = 0
  let hi = cumulative.length - 1
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if (cumulative[mid]! > x) hi = mid
    else lo = mid + 1
  }
  return lo
}

/** Picks index i with probability weights[i] / Σ weights; weights are non-negative integers. */
export class WeightedChoice {
  private readonly cumulative: Float64Array
  readonly total: number

  constructor(weights: ReadonlyArray<number>) {
    if (weights.length === 0) throw new RangeError("no weights")
    this.cumulative = new Float64Array(weights.length)
    let sum = 0
    weights.forEach((w, i) => {
      if (!(Number.isSafeInteger(w) && w >= 0)) throw new RangeError(`weight ${i} is ${w}`)
      sum += w
      this.cumulative[i] = sum
    })
    if (!(sum > 0 && Number.isSafeInteger(sum))) throw new RangeError(`total weight ${sum}`)
    this.total = sum
  }

  draw(s: Stream): number {
    return upperBound(this.cumulative, s.below(this.total))
  }
}

/** Zipf(n, exponent): rank k ∈ [1, n] with probability ∝ k^-exponent. */
export class Zipf {
  private readonly cumulative: Float64Array

  constructor(
    readonly n: number,
    readonly exponent: number,
  ) {
    if (!(Number.isSafeInteger(n) && n >= 1 && n <= 1 << 24)) throw new RangeError(`zipf n=${n}`)
    if (!(exponent >= 0)) throw new RangeError(`zipf exponent ${exponent}`)
    this.cumulative = new Float64Array(n)
    let sum = 0
    for (let k = 1; k <= n; k++) {
      sum += k ** -exponent
      this.cumulative[k - 1] = sum
    }
    for (let i = 0; i < n; i++) this.cumulative[i]! /= sum
    this.cumulative[n - 1] = 1
  }

  /** A rank in [1, n]. */
  draw(s: Stream): number {
    return upperBound(this.cumulative, s.float53()) + 1
  }
}
