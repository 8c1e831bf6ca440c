/**
 * Scaling a 1-in-k systematic sample of users back to the population: the total's estimate and
 * its standard error from the spread of the sampled users' own totals (users are independent).
 */
export interface ScaledTotal {
  readonly estimate: number
  readonly standardError: number
}

export const scaledTotal = (perUser: ArrayLike<number>, stride: number): ScaledTotal => {
  let n = 0
  let sum = 0
  let sumSq = 0
  for (let i = 0; i < perUser.length; i += stride) {
    const x = perUser[i]!
    n++
    sum += x
    sumSq += x * x
  }
  const variance = (sumSq - (sum * sum) / n) / (n - 1)
  return { estimate: sum * stride, standardError: stride * Math.sqrt(n * variance * (1 - 1 / stride)) }
}
