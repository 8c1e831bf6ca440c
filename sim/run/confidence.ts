/**
 * Means with 95 % confidence intervals over independent replications (Student t). Quantiles come
 * from the standard table up to 30 degrees of freedom and from the Cornish–Fisher expansion
 * beyond, which is within 0.001 there.
 */
const T_975 = [
  12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131,
  2.12, 2.11, 2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042,
]
const Z_975 = 1.959964

/** The 0.975 quantile of Student's t with `df` degrees of freedom. */
export const tQuantile975 = (df: number): number => {
  if (!(Number.isInteger(df) && df >= 1)) throw new RangeError(`degrees of freedom ${df}`)
  if (df <= T_975.length) return T_975[df - 1]!
  const z = Z_975
  return z + (z ** 3 + z) / (4 * df) + (5 * z ** 5 + 16 * z ** 3 + 3 * z) / (96 * df * df)
}

export interface MeanCi {
  readonly n: number
  readonly mean: number
  /** Half the width of the 95 % interval; NaN with fewer than two values. */
  readonly halfWidth95: number
}

export const meanCi95 = (values: ReadonlyArray<number>): MeanCi => {
  const n = values.length
  if (n === 0) return { n, mean: Number.NaN, halfWidth95: Number.NaN }
  const mean = values.reduce((a, b) => a + b, 0) / n
  if (n < 2) return { n, mean, halfWidth95: Number.NaN }
  const variance = values.reduce((a, x) => a + (x - mean) ** 2, 0) / (n - 1)
  return { n, mean, halfWidth95: tQuantile975(n - 1) * Math.sqrt(variance / n) }
}
