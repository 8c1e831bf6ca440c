/**
 * Proves the byte plane's thread count changes nothing a run produces (issue 17 item 4): scenario
 * 04 with every user byte-level gives the same event digest, the same byte-level tallies and the
 * same crypto counts — OTA packets and bytes included — whether the issuances run on the kernel's
 * thread or on a worker beside it (and the worker really ran them), with first cards' jobs posted
 * ahead of their orders, or every such job dropped (a planted wrong forecast); and that what
 * cannot cross to a worker (a planted envelope defect, the viewer's tracer) is refused there with
 * a clear message instead of being dropped.
 */
import { readFileSync } from "node:fs"
import { join, resolve } from "node:path"
import { describe, expect, it } from "vitest"
import { nativeCrypto } from "../../../../../model/crypto/native-crypto.ts"
import { type PilotRunOptions, runPilot } from "../../../../../model/world/pilot/pilot-run.ts"
import { decodePilotScenario } from "../../../../../model/world/pilot/pilot-scenario.ts"
import type { PilotWorld } from "../../../../../model/world/pilot/pilot-world.ts"

const repoRoot = resolve(import.meta.dirname, "../../../../..")
const plan = decodePilotScenario(
  JSON.parse(readFileSync(join(repoRoot, "scenarios/04-pilot-plan.json"), "utf8")),
)
if (!plan.ok) throw new Error(plan.message)

const run = (threads: number, beforeRun?: PilotRunOptions["beforeRun"]) =>
  runPilot({
    scenario: { ...plan.value, fidelity: { byteLevelFraction: 1 } },
    population: plan.population,
    scale: 0.001,
    seed: 11,
    crypto: nativeCrypto,
    untilDate: "2014-10-31",
    threads,
    ...(beforeRun === undefined ? {} : { beforeRun }),
  })

/** A worker that has loaded its modules before the kernel starts, so it surely takes jobs. */
const waitForWorker = (w: PilotWorld): void => {
  expect(w.issuanceJobs.waitReady(240_000)).toBe(true)
}

describe("the byte plane on one thread and on two", () => {
  it("gives the same digest, tallies and crypto counts, the worker running the issuances", () => {
    const one = run(1)
    // Which thread claims a job is a race (the results are the same either way): on a machine so
    // loaded that the worker's thread is not scheduled before the kernel claims every job, the
    // worker runs none. Up to three runs: an earlier one's digest is checked here, the last in full below.
    let two = run(2, waitForWorker)
    for (let attempt = 1; attempt < 3 && two.world.issuanceJobs.ran.worker === 0; attempt++) {
      expect(two.world.digest.hex()).toBe(one.world.digest.hex())
      two = run(2, waitForWorker)
    }
    expect(one.world.issuanceJobs.workers).toBe(0)
    expect(two.world.issuanceJobs.workers).toBe(1)
    // One thread posts each job when its order starts; two post first cards ahead, from the
    // adoption schedule, and the orders find them, the worker running some and the kernel the rest.
    expect(one.world.issuanceJobs.aheadCounts).toEqual({ used: 0, dropped: 0 })
    expect(two.world.issuanceJobs.aheadCounts.used).toBeGreaterThan(one.world.cards.tally.issued / 2)
    expect(two.world.issuanceJobs.ran.worker).toBeGreaterThan(0)
    expect(one.world.issuanceJobs.ran.worker).toBe(0)
    expect(one.world.cards.tally.issued).toBeGreaterThan(20)
    expect(one.world.cards.tally.transactions).toBeGreaterThan(0)
    expect(one.violations).toEqual([])
    expect(two.world.digest.hex()).toBe(one.world.digest.hex())
    expect(two.world.cards.tally).toEqual(one.world.cards.tally)
    expect(two.world.cryptoCounts).toEqual(one.world.cryptoCounts)
    expect(two.world.cards.chain.counts).toEqual(one.world.cards.chain.counts)
    expect(two.world.cards.held).toBe(one.world.cards.held)
    // The job planned the card's OTA delivery too: both steps' packets (at least one each) counted.
    const t = one.world.cards.tally
    expect(t.otaPackets).toBeGreaterThanOrEqual(2 * t.issued)
    expect(t.otaByBearer.bip + t.otaByBearer["sms-pp"] + t.otaByBearer["http-admin"]).toBeGreaterThanOrEqual(
      t.issued,
    )
    // The issuances' crypto is in the world's counts although the worker did it.
    expect(two.world.cryptoCounts.sm2Sign).toBeGreaterThanOrEqual(4 * one.world.cards.tally.issued)
  }, 300_000)

  it("changes nothing when every job posted ahead is wrong (a planted forecast one µs late)", () => {
    const one = run(1)
    const skewed = run(2, (w) => {
      const real = w.issuanceJobs.forecast!
      w.issuanceJobs.forecast = {
        next: (from) => {
          const n = real.next(from)
          return n === null ? null : { ...n, nowUs: n.nowUs + 1 }
        },
      }
    })
    expect(skewed.world.issuanceJobs.aheadCounts.used).toBe(0)
    expect(skewed.world.issuanceJobs.aheadCounts.dropped).toBeGreaterThan(one.world.cards.tally.issued / 2)
    expect(skewed.world.digest.hex()).toBe(one.world.digest.hex())
    expect(skewed.world.cards.tally).toEqual(one.world.cards.tally)
    expect(skewed.world.cryptoCounts).toEqual(one.world.cryptoCounts)
  }, 300_000)

  it("refuses a planted envelope defect on the worker, naming the thread count it needs", () => {
    expect(() =>
      run(2, (w) => {
        w.cards.chain.tamper = () => true
      }),
    ).toThrow(/threads 1/)
  }, 300_000)
})
