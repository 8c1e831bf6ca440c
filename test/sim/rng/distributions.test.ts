// Proves that each distribution has the mean (and where cheap, the variance) its parameters
// promise, within bounds of several standard errors, on fixed seeds.
import { describe, expect, it } from "vitest"
import { nextArrivalUs } from "../../../sim/rng/arrivals.ts"
import { WeightedChoice, Zipf } from "../../../sim/rng/choice.ts"
import {
  erlang,
  exponentialUs,
  gamma,
  logFactorial,
  lognormal,
  poisson,
  uniformInt,
} from "../../../sim/rng/distributions.ts"
import { constantRate, shapedRate } from "../../../sim/rng/profiles.ts"
import { streamOf } from "../../../sim/rng/stream.ts"
import { swarmWeights } from "../../../sim/rng/swarm.ts"

const N = 100_000
const moments = (draw: () => number) => {
  let sum = 0
  let sq = 0
  for (let i = 0; i < N; i++) {
    const x = draw()
    sum += x
    sq += x * x
  }
  const mean = sum / N
  return { mean, variance: sq / N - mean * mean }
}
/** |observed − expected| within 5 standard errors of the mean. */
const near = (observed: number, expected: number, sd: number) =>
  expect(Math.abs(observed - expected)).toBeLessThan((5 * sd) / Math.sqrt(N))

describe("distributions", () => {
  const s = streamOf(11, "distributions")

  it("uniformInt covers [low, high] with the right mean", () => {
    const m = moments(() => uniformInt(s, -3, 6))
    near(m.mean, 1.5, Math.sqrt((10 * 10 - 1) / 12))
  })

  it("exponential, Erlang and gamma have their means and variances", () => {
    near(moments(() => exponentialUs(s, 5_000)).mean, 5_000, 5_000)
    const e = moments(() => erlang(s, 4, 2))
    near(e.mean, 2, 1)
    expect(Math.abs(e.variance - 1)).toBeLessThan(0.05)
    const g = moments(() => gamma(s, 0.5, 3))
    near(g.mean, 1.5, Math.sqrt(0.5 * 9))
    const g2 = moments(() => gamma(s, 7.5, 2))
    expect(Math.abs(g2.variance - 30) / 30).toBeLessThan(0.05)
  })

  it("lognormal has mean exp(mu + sigma²/2)", () => {
    const expected = Math.exp(1 + 0.25 / 2)
    near(moments(() => lognormal(s, 1, 0.5)).mean, expected, expected * Math.sqrt(Math.exp(0.25) - 1))
  })

  it("poisson has mean = variance on both sides of the method switch", () => {
    for (const mean of [0.7, 12, 45, 900]) {
      const m = moments(() => poisson(s, mean))
      near(m.mean, mean, Math.sqrt(mean))
      expect(Math.abs(m.variance - mean) / mean).toBeLessThan(0.05)
    }
    expect(Math.abs(logFactorial(300) - logFactorial(299) - Math.log(300))).toBeLessThan(1e-9)
  })

  it("weighted choice and Zipf follow their weights", () => {
    const choice = new WeightedChoice([1, 0, 3])
    const counts = [0, 0, 0]
    for (let i = 0; i < N; i++) counts[choice.draw(s)]!++
    expect(counts[1]).toBe(0)
    near(counts[2]! / N, 0.75, Math.sqrt(0.75 * 0.25))
    const zipf = new Zipf(100, 1)
    let ones = 0
    for (let i = 0; i < N; i++) if (zipf.draw(s) === 1) ones++
    let h = 0
    for (let k = 1; k <= 100; k++) h += 1 / k
    near(ones / N, 1 / h, Math.sqrt((1 / h) * (1 - 1 / h)))
    expect(() => new WeightedChoice([0, 0])).toThrow(RangeError)
  })

  it("thinning reproduces a homogeneous rate and follows a diurnal profile", () => {
    const hourUs = 3_600_000_000
    let t = 0
    let count = 0
    for (;;) {
      t = nextArrivalUs(s, constantRate(2), t, 10 * hourUs)
      if (t < 0) break
      count++
    }
    near(count / 10, 7_200, Math.sqrt(7_200) * Math.sqrt(N / 10))
    const hourly = Array.from({ length: 24 }, (_, h) => (h < 12 ? 1 : 3))
    const profile = shapedRate({ ratePerSecondBase: 1, hourly })
    let morning = 0
    let evening = 0
    t = 0
    for (;;) {
      t = nextArrivalUs(s, profile, t, 24 * hourUs)
      if (t < 0) break
      if (t < 12 * hourUs) morning++
      else evening++
    }
    expect(Math.abs(evening / morning - 3)).toBeLessThan(0.1)
  })

  it("swarm weights switch variants off per seed and always keep one on", () => {
    const variants = ["a", "b", "c", "d"] as const
    const seen = new Set<string>()
    for (let seed = 0; seed < 200; seed++) {
      const w = swarmWeights(streamOf(seed, "swarm"), variants)
      expect(variants.some((v) => w[v] > 0)).toBe(true)
      seen.add(variants.map((v) => (w[v] > 0 ? "1" : "0")).join(""))
    }
    expect(seen.size).toBeGreaterThan(10)
  })
})
