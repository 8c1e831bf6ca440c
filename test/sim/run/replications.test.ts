// Proves that worker-thread replications load the TypeScript model through tsx, give exactly the
// in-process results per seed, summarise them as mean ± t-based 95 % CI, report failures, return
// structured results (a sweep job's KPIs and digest) in the order of the seeds, and stop their
// threads when interrupted: a run paced by RunControl is interrupted between two chunks (its
// finalizer runs), a synchronous one is killed.
import { existsSync, mkdtempSync, readFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join, resolve } from "node:path"
import { Effect, Fiber } from "effect"
import { describe, expect, it } from "vitest"
import { meanCi95, tQuantile975 } from "../../../sim/run/confidence.ts"
import { ReplicationError, Replications } from "../../../sim/run/replications.ts"
import { mmcMetrics, runMmc } from "../mmc-model.ts"

const MODEL = resolve(import.meta.dirname, "../mmc-model.ts")
const SLOW = resolve(import.meta.dirname, "slow-model.ts")
const options = { servers: 2, rho: 0.7, serviceUsMean: 10_000, warmupUs: 1_000_000, measureUs: 50_000_000 }

const run = (spec: Parameters<Replications["Service"]["run"]>[0]) =>
  Effect.runPromise(
    Effect.gen(function* () {
      const r = yield* Replications
      return yield* Effect.result(r.run(spec))
    }).pipe(Effect.provide(Replications.layer)),
  )

describe("replications", () => {
  it("runs seeds on worker threads with exactly the in-process results", async () => {
    const seeds = [1, 2, 3, 4, 5]
    const result = await run({ modulePath: MODEL, exportName: "mmcMetrics", seeds, options, workers: 2 })
    if (result._tag !== "Success") throw new Error(String(result))
    const report = result.success
    expect(report.perSeed.map((r) => r.seed)).toEqual(seeds)
    for (const { seed, metrics } of report.perSeed) expect(metrics).toEqual(mmcMetrics(seed, options))
    const waits = report.perSeed.map((r) => r.metrics.waitUsMean!)
    expect(report.summary.waitUsMean).toEqual(meanCi95(waits))
  }, 60_000)

  it("reports the failing seed as a ReplicationError value", async () => {
    const result = await run({
      modulePath: MODEL,
      exportName: "failingOnOdd",
      seeds: [2, 3],
      options: {},
      workers: 1,
    })
    expect(result._tag).toBe("Failure")
    if (result._tag === "Failure") {
      expect(result.failure).toBeInstanceOf(ReplicationError)
      expect(result.failure.reason).toMatch(/seed 3/)
    }
  }, 60_000)

  it("runEach returns each seed's structured result in the order given, equal seeds included", async () => {
    const digestOptions = { ...options, digest: true }
    const seeds = [3, 1, 3, 2]
    const results = await Effect.runPromise(
      Effect.gen(function* () {
        const r = yield* Replications
        return yield* r.runEach<{ waitUsMean: number; digest: string }>({
          modulePath: SLOW,
          exportName: "mmcRecord",
          seeds,
          options: digestOptions,
          workers: 2,
        })
      }).pipe(Effect.provide(Replications.layer)),
    )
    const expected = seeds.map((seed) => runMmc(seed, digestOptions))
    expect(results.map((r) => r.digest)).toEqual(expected.map((r) => r.digest))
    expect(results.map((r) => r.waitUsMean)).toEqual(expected.map((r) => r.waitUsMean))
    expect(results[0]!.digest).toMatch(/^[0-9a-f]{64}$/)
    expect(results[0]!.digest).not.toBe(results[1]!.digest)
  }, 60_000)

  it("interrupting a run terminates the threads of replications still running", async () => {
    const dir = mkdtempSync(join(tmpdir(), "replications-"))
    const fiber = Effect.runFork(
      Effect.gen(function* () {
        const r = yield* Replications
        return yield* r.run({
          modulePath: SLOW,
          exportName: "slowModel",
          seeds: [1],
          options: { dir, busyMs: 3_000 },
          workers: 1,
        })
      }).pipe(Effect.provide(Replications.layer)),
    )
    const started = join(dir, "started-1")
    for (let i = 0; i < 600 && !existsSync(started); i++) await new Promise((r) => setTimeout(r, 100))
    expect(existsSync(started)).toBe(true)
    await Effect.runPromise(Fiber.interrupt(fiber))
    // Well past the 3 s busy loop: a thread left running would have marked its finish by now.
    await new Promise((r) => setTimeout(r, 5_000))
    expect(existsSync(join(dir, "finished-1"))).toBe(false)
  }, 90_000)

  it("interrupting a run stops a RunControl-paced replication between chunks, finalizer included", async () => {
    const dir = mkdtempSync(join(tmpdir(), "replications-"))
    const fiber = Effect.runFork(
      Effect.gen(function* () {
        const r = yield* Replications
        return yield* r.runEach({
          modulePath: SLOW,
          exportName: "pacedModel",
          seeds: [7],
          // Simulated milliseconds = events of a millisecond of work each: minutes of wall time.
          options: { dir, busyMs: 600_000 },
          workers: 1,
        })
      }).pipe(Effect.provide(Replications.layer)),
    )
    for (let i = 0; i < 600 && !existsSync(join(dir, "started-7")); i++)
      await new Promise((r) => setTimeout(r, 100))
    expect(existsSync(join(dir, "started-7"))).toBe(true)
    await Effect.runPromise(Fiber.interrupt(fiber))
    // The thread answered the stop after its run's finalizer ran: the run ended between two chunks.
    const events = Number(readFileSync(join(dir, "interrupted-7"), "utf8"))
    expect(events).toBeGreaterThan(0)
    expect(events).toBeLessThan(600_000)
    expect(existsSync(join(dir, "finished-7"))).toBe(false)
  }, 90_000)

  it("uses Student t quantiles", () => {
    expect(tQuantile975(19)).toBe(2.093)
    expect(Math.abs(tQuantile975(60) - 2.0003)).toBeLessThan(0.001)
    const ci = meanCi95([1, 2, 3])
    expect(ci.mean).toBe(2)
    expect(ci.halfWidth95).toBeCloseTo(4.303 * Math.sqrt(1 / 3), 6)
  })
})
