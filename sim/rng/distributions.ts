/**
 * Continuous and discrete distributions drawn from a named stream. Durations come out as integer
 * microseconds (rounded), because time in the kernel is an integer (DESIGN.md §4). Each function
 * uses a fixed number of draws where the method allows, so a model's draw count stays readable.
 */
import type { Stream } from "./stream.ts"

/** A uniform integer in [low, high], both inclusive. */
export const uniformInt = (s: Stream, low: number, high: number): number => {
  if (!(Number.isSafeInteger(low) && Number.isSafeInteger(high) && low <= high)) {
    throw new RangeError(`uniformInt(${low}, ${high})`)
  }
  return low + s.below(high - low + 1)
}

/** An exponential variate with the given mean (inversion; 1 - u avoids log(0)). */
export const exponential = (s: Stream, mean: number): number => -Math.log(1 - s.float53()) * mean

/** An exponential duration in whole microseconds. */
export const exponentialUs = (s: Stream, meanUs: number): number =>
  Math.round(-Math.log(1 - s.float53()) * meanUs)

/** Standard normal by Box–Muller; the second variate is discarded so draws stay two per call. */
export const standardNormal = (s: Stream): number => {
  const u1 = 1 - s.float53()
  const u2 = s.float53()
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2)
}

/** Erlang-k with the given mean: the sum of k exponentials, computed as one log of a product. */
export const erlang = (s: Stream, k: number, mean: number): number => {
  if (!(Number.isInteger(k) && k >= 1)) throw new RangeError(`erlang k=${k}`)
  let sum = 0
  for (let i = 0; i < k; i++) sum -= Math.log(1 - s.float53())
  return (sum * mean) / k
}

/**
 * Gamma(shape, scale) by Marsaglia & Tsang (2000); for shape < 1 the boost
 * Gamma(a) = Gamma(a + 1) · U^(1/a) keeps the same squeeze.
 */
export const gamma = (s: Stream, shape: number, scale: number): number => {
  if (!(shape > 0 && scale > 0)) throw new RangeError(`gamma(${shape}, ${scale})`)
  if (shape < 1) return gamma(s, shape + 1, scale) * (1 - s.float53()) ** (1 / shape)
  const d = shape - 1 / 3
  const c = 1 / Math.sqrt(9 * d)
  for (;;) {
    let x: number
    let v: number
    do {
      x = standardNormal(s)
      v = 1 + c * x
    } while (v <= 0)
    v = v * v * v
    const u = 1 - s.float53()
    if (u < 1 - 0.0331 * x * x * x * x) return d * v * scale
    if (Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v * scale
  }
}

/** Lognormal with parameters of the underlying normal (mu, sigma). */
export const lognormal = (s: Stream, mu: number, sigma: number): number =>
  Math.exp(mu + sigma * standardNormal(s))

/** A lognormal duration with the given median and shape sigma, in whole microseconds. */
export const lognormalUs = (s: Stream, medianUs: number, sigma: number): number =>
  Math.round(medianUs * Math.exp(sigma * standardNormal(s)))

const LOG_FACTORIAL_TABLE = (() => {
  const t = new Float64Array(256)
  for (let i = 2; i < t.length; i++) t[i] = t[i - 1]! + Math.log(i)
  return t
})()

/** log(k!) exactly from a table for small k, by Stirling's series beyond. */
export const logFactorial = (k: number): number => {
  if (k < LOG_FACTORIAL_TABLE.length) return LOG_FACTORIAL_TABLE[k]!
  const x = k + 1
  return (x - 0.5) * Math.log(x) - x + 0.5 * Math.log(2 * Math.PI) + 1 / (12 * x) - 1 / (360 * x * x * x)
}

/**
 * A Poisson count: Knuth's product method below mean 30, Hörmann's PTRS transformed rejection
 * (1993) above it, whose cost does not grow with the mean.
 */
export const poisson = (s: Stream, mean: number): number => {
  if (!(mean >= 0 && Number.isFinite(mean))) throw new RangeError(`poisson(${mean})`)
  if (mean < 30) {
    const limit = Math.exp(-mean)
    let k = 0
    let p = 1 - s.float53()
    while (p > limit) {
      k++
      p *= 1 - s.float53()
    }
    return k
  }
  return poissonPtrs(s, mean)
}

const poissonPtrs = (s: Stream, lam: number): number => {
  const slam = Math.sqrt(lam)
  const logLam = Math.log(lam)
  const b = 0.931 + 2.53 * slam
  const a = -0.059 + 0.02483 * b
  const invAlpha = 1.1239 + 1.1328 / (b - 3.4)
  const vr = 0.9277 - 3.6224 / (b - 2)
  for (;;) {
    const u = s.float53() - 0.5
    const v = s.float53()
    const us = 0.5 - Math.abs(u)
    const k = Math.floor(((2 * a) / us + b) * u + lam + 0.43)
    if (us >= 0.07 && v <= vr) return k
    if (k < 0 || (us < 0.013 && v > us)) continue
    if (
      Math.log(v) + Math.log(invAlpha) - Math.log(a / (us * us) + b) <=
      -lam + k * logLam - logFactorial(k)
    ) {
      return k
    }
  }
}
