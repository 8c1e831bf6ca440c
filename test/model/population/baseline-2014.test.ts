/**
 * Proves the calibrated Jan–Apr 2014 baseline reproduces the pilot's own figures (CALIBRATION.md
 * §3.1: ≈100,000 users, 491,200 transactions, 5.086 bn yuan) within 10 % by simulating the
 * population's events through the kernel and port, sampled at a stated scale and scaled back with
 * a 95 % confidence interval from the sampled users' spread.
 */
import { describe, expect, it } from "vitest"
import { BASELINE_2014 } from "../../../model/population/pilot-calibrations.ts"
import { startPopulation } from "../../../model/population/population-process.ts"
import { PopulationRun } from "../../../model/population/population-run.ts"
import { PendingEvent } from "../../../model/population/population-state.ts"
import { Kernel } from "../../../sim/kernel/kernel.ts"
import { makePort } from "../../../sim/kernel/port.ts"
import { SignalBus } from "../../../sim/recorder/signals.ts"
import { scaledTotal } from "./sample-estimate.ts"

/** The pilot's published baseline; the only constants of this test. */
const BASELINE = { users: 100_000, transactions: 491_200, valueYuan: 5.086e9 }
const TOLERANCE = 0.1
const SEED = 20140101
/** One user in this many is simulated; totals are scaled back by it. */
const SAMPLE_STRIDE = 2

describe("baseline 2014", () => {
  it("reproduces users, transactions and value within 10 % by simulation", () => {
    const p = BASELINE_2014
    const kernel = new Kernel({ capacity: 1 << 17 })
    const port = makePort(kernel, SEED, new SignalBus(null))
    const run = new PopulationRun(p, SEED, { sampleStride: SAMPLE_STRIDE })
    const users = p.market.marketUsers
    const adopted = new Float64Array(users)
    const count = new Float64Array(users)
    const valueYuan = new Float64Array(users)
    startPopulation(port, run, {
      onAdoption: (user) => {
        adopted[user] = 1
      },
      onEvent: (e) => {
        if (e.kind !== PendingEvent.transaction) return
        count[e.user]!++
        valueYuan[e.user]! += e.amountFen / 100
      },
    })
    kernel.run(run.horizonUs)
    const result = {
      users: scaledTotal(adopted, SAMPLE_STRIDE),
      transactions: scaledTotal(count, SAMPLE_STRIDE),
      valueYuan: scaledTotal(valueYuan, SAMPLE_STRIDE),
    }
    console.log(
      `baseline-2014 seed=${SEED} scale=1/${SAMPLE_STRIDE}: ` +
        Object.entries(result)
          .map(
            ([k, r]) =>
              `${k} ${Math.round(r.estimate)} ± (95 %) ${Math.round(1.96 * r.standardError)} (published ${BASELINE[k as keyof typeof BASELINE]})`,
          )
          .join("; "),
    )
    expect(run.totals.transactions).toBeGreaterThan(0)
    for (const key of ["users", "transactions", "valueYuan"] as const) {
      const error = Math.abs(result[key].estimate / BASELINE[key] - 1)
      expect(error, `${key} off by ${(error * 100).toFixed(1)} %`).toBeLessThan(TOLERANCE)
    }
  })
})
