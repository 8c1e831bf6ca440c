// Proves that the kernel and Resource reproduce queueing theory: M/M/c mean waits fall inside the
// 95 % confidence interval (from independent replications) of the Erlang-C value, and Little's
// law links the time-weighted queue length to λ·W.
import { describe, expect, it } from "vitest"
import { runMmc } from "../mmc-model.ts"

/** Erlang C: the probability of waiting in M/M/c with offered load a = λ/μ (Kleinrock, vol. 1 §3.5). */
const erlangC = (c: number, a: number): number => {
  let term = 1
  let sum = 1
  for (let k = 1; k < c; k++) {
    term *= a / k
    sum += term
  }
  const last = (term * a) / c / (1 - a / c)
  return last / (sum + last)
}

/** Student t 0.975 quantile for 19 degrees of freedom (standard table). */
const T_975_DF19 = 2.093
const REPLICATIONS = 20
const SERVICE_US_MEAN = 100_000

const cases = [
  { servers: 1, rho: 0.5, measureServices: 40_000 },
  { servers: 1, rho: 0.9, measureServices: 100_000 },
  { servers: 8, rho: 0.9, measureServices: 15_000 },
  { servers: 32, rho: 0.95, measureServices: 12_000 },
]

describe("M/M/c on the kernel", () => {
  for (const { servers, rho, measureServices } of cases) {
    it(`c=${servers}, ρ=${rho}: mean wait within the 95 % CI of Erlang C; Little's law holds`, () => {
      const options = {
        servers,
        rho,
        serviceUsMean: SERVICE_US_MEAN,
        warmupUs: 2_000 * SERVICE_US_MEAN,
        measureUs: measureServices * SERVICE_US_MEAN,
      }
      const runs = Array.from({ length: REPLICATIONS }, (_, i) => runMmc(1000 + i, options))
      const waits = runs.map((r) => r.waitUsMean)
      const mean = waits.reduce((a, b) => a + b, 0) / REPLICATIONS
      const variance = waits.reduce((a, w) => a + (w - mean) ** 2, 0) / (REPLICATIONS - 1)
      const halfWidth = T_975_DF19 * Math.sqrt(variance / REPLICATIONS)
      const a = rho * servers
      const expected = (erlangC(servers, a) * SERVICE_US_MEAN) / (servers - a)
      expect(Math.abs(mean - expected)).toBeLessThanOrEqual(halfWidth)
      // The interval must be informative, or the check above could never fail.
      expect(halfWidth).toBeLessThan(0.1 * expected)
      for (const r of runs) {
        expect(Math.abs(r.utilisation - rho)).toBeLessThan(0.05)
        const littleL = r.arrivalsPerUs * r.waitUsMean
        expect(Math.abs(r.queueLengthMean - littleL)).toBeLessThan(0.03 * r.queueLengthMean + 0.01)
      }
    })
  }
})
