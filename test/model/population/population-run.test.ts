/**
 * Proves the population's event stream: the same seed gives the same events, a user's events do
 * not depend on which other users are simulated, lost and closed cards never transact, a 补卡 comes
 * exactly the waiting period after its 挂失, and the hot state stays within DESIGN.md §5's 64 B per
 * user (printed, measured from the typed arrays and from the process's array-buffer growth).
 */
import { describe, expect, it } from "vitest"
import { drawAmountFen, meanAmountFen, meanTicketFen } from "../../../model/population/behaviour.ts"
import { PILOT_MIX, PILOT_REALISTIC } from "../../../model/population/pilot-calibrations.ts"
import type { PopulationParams } from "../../../model/population/population-params.ts"
import { startPopulation } from "../../../model/population/population-process.ts"
import { PopulationRun } from "../../../model/population/population-run.ts"
import { CardState, PendingEvent, PopulationState } from "../../../model/population/population-state.ts"
import { Kernel } from "../../../sim/kernel/kernel.ts"
import { makePort } from "../../../sim/kernel/port.ts"
import { SignalBus } from "../../../sim/recorder/signals.ts"
import { streamOf } from "../../../sim/rng/stream.ts"

/** A small, eventful market: every capable user adopts early and loses phones often. */
const SMALL: PopulationParams = {
  ...PILOT_REALISTIC,
  market: { ...PILOT_REALISTIC.market, marketUsers: 20_000 },
  adoption: { ...PILOT_REALISTIC.adoption, takeUpPermille: 1000, innovationPerYear: 2 },
  lifecycle: {
    lossPermillePerYear: 400,
    reissuePermille: 700,
    reissueWaitDays: 7,
    closePermillePerYear: 200,
    simSwapPermillePerYear: 300,
  },
}

const record = (params: PopulationParams, seed: number, stride: number) => {
  const kernel = new Kernel()
  const run = new PopulationRun(params, seed, { sampleStride: stride })
  const log: string[] = []
  const lostAt = new Map<number, number>()
  const violations: string[] = []
  startPopulation(makePort(kernel, seed, new SignalBus(null)), run, {
    onAdoption: (user, now) => log.push(`${now} adopt ${user}`),
    onEvent: (e, now) => {
      log.push(`${now} ${e.kind} ${e.user} ${e.transactionKind} ${e.amountFen} ${e.reissued}`)
      if (e.kind === PendingEvent.loss) lostAt.set(e.user, now)
      if (e.kind === PendingEvent.reissueDue && now - lostAt.get(e.user)! !== 7 * 86_400_000_000)
        violations.push(`user ${e.user} decided ${now - lostAt.get(e.user)!} µs after the loss`)
      if (e.kind === PendingEvent.transaction && run.state.cardState[e.user] !== CardState.active)
        violations.push(`user ${e.user} transacted in state ${run.state.cardState[e.user]}`)
    },
  })
  kernel.run(run.horizonUs)
  return { run, log, violations }
}

describe("population run", () => {
  it("replays the same events from the same seed, and others from another", () => {
    const a = record(SMALL, 5, 1)
    const b = record(SMALL, 5, 1)
    expect(a.log.length).toBeGreaterThan(1000)
    expect(b.log).toEqual(a.log)
    expect(record(SMALL, 6, 1).log).not.toEqual(a.log)
  })

  it("gives a user the same events whether or not other users are simulated", () => {
    const all = record(SMALL, 5, 1).log
    const sampled = record(SMALL, 5, 4).log
    const mine = (log: string[]) => log.filter((line) => Number(line.split(" ")[2]) % 4 === 0)
    expect(sampled.length).toBeGreaterThan(100)
    expect(mine(sampled)).toEqual(mine(all))
  })

  it("never lets a lost or closed card transact, and decides 补卡 after the waiting period", () => {
    const { run, violations } = record(SMALL, 8, 1)
    expect(run.totals.losses).toBeGreaterThan(50)
    expect(run.totals.reissues).toBeGreaterThan(20)
    expect(violations).toEqual([])
  })

  it("stays within 64 B per user (printed)", () => {
    const run = new PopulationRun(SMALL, 1)
    const before = process.memoryUsage().arrayBuffers
    const users = 2_000_000
    const state = new PopulationState(users)
    const grown = (process.memoryUsage().arrayBuffers - before) / users
    console.log(
      `population bytes per user: ${run.bytesPerUser().toFixed(2)} (typed arrays incl. schedule), ` +
        `${state.bytesPerUser()} hot state, ${grown.toFixed(2)} measured array-buffer growth per user`,
    )
    expect(run.bytesPerUser()).toBeLessThanOrEqual(64)
    expect(grown).toBeLessThanOrEqual(64)
  })
})

describe("transaction mix", () => {
  it("computes each kind's mean amount as sampling finds it (within 4 standard errors)", () => {
    const s = streamOf(3, "test.amounts")
    for (const kind of PILOT_MIX) {
      const n = 50_000
      let sum = 0
      let sumSq = 0
      for (let i = 0; i < n; i++) {
        const x = drawAmountFen(kind, s)
        sum += x
        sumSq += x * x
      }
      const mean = sum / n
      const se = Math.sqrt((sumSq / n - mean * mean) / n)
      expect(Math.abs(mean - meanAmountFen(kind))).toBeLessThanOrEqual(4 * se + 1)
    }
  })

  it("implies ≈ 10,000 yuan per transaction (CALIBRATION.md §3.1), carried by transfers", () => {
    const mean = meanTicketFen(PILOT_REALISTIC) / 100
    const transfer = PILOT_MIX.find((k) => k.kind === "transfer")!
    const transferPart = ((transfer.countPermille / 1000) * meanAmountFen(transfer)) / 100
    console.log(`mean ticket ${mean.toFixed(0)} yuan, of which transfers ${transferPart.toFixed(0)} yuan`)
    expect(Math.abs(mean / 10_000 - 1)).toBeLessThan(0.1)
    expect(transferPart / mean).toBeGreaterThan(0.9)
  })
})
