// Proves sweeps on Effect's cluster with PostgreSQL (issue 18) against a real PostgreSQL and real
// runner processes: a 6-point × 2-replication sweep of 06-issuance-campaign on three runners, one
// of them SIGKILLed while it runs, completes with 12 results, each completed exactly once
// (counted in PostgreSQL), with the digests of the same sweep run locally; killing the submitting
// CLI and `--resume` finishes a sweep without rerunning a finished run; a runner that joins
// mid-sweep takes work; PostgreSQL stopped mid-sweep stalls it and it completes when the server is
// back; runners leave cleanly on SIGTERM; and the password appears in no log, message or report.
// Slow by nature (it starts real PostgreSQL and runner processes, ~9 minutes on a loaded 2-core
// machine), so it is not in `npm test`: `npm run test:cluster` runs it (vitest.cluster.config.ts).
import { mkdtempSync, readdirSync, readFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { ProgressBar } from "../../../app/cli/progress-bar.ts"
import { runSweep, type SweepOutcome } from "../../../app/cli/sweep-command.ts"
import { freePort, type Postgres, startPostgres } from "./pg-fixture.ts"
import { type CliProcess, startCli, startRunner } from "./runner-process.ts"
import { campaignScenarioFile, REPLICATIONS, RUNS, runsOf, VARY } from "./sweep-scenario.ts"

const quiet = () => new ProgressBar({ isTTY: false, write: () => true })
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
const SCENARIO = campaignScenarioFile()

let pg: Postgres
const processes: CliProcess[] = []
const localDigests = new Map<string, string>()

const outcomeText = (o: SweepOutcome) => ("message" in o ? o.message : o.line)

/** Polls PostgreSQL until `f` returns a value (not undefined), or fails after timeoutMs. */
const until = async <A>(f: () => A | undefined, timeoutMs: number, what: string): Promise<A> => {
  const started = Date.now()
  for (;;) {
    const a = f()
    if (a !== undefined) return a
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`)
    await sleep(250)
  }
}

/** Every sweep id in the ledger (none before the first submission creates the table). */
const sweepIds = (): string[] => {
  try {
    return pg.query("SELECT sweep_id FROM tsm_twin_sweeps")
  } catch {
    return []
  }
}

/** The id of a sweep submitted after `before` was taken. */
const newSweepIdAfter = (before: ReadonlyArray<string>) => () => sweepIds().find((id) => !before.includes(id))

/** job → [starts, finishes] from the ledger. */
const countsOf = (sweepId: string) =>
  new Map(
    pg
      .query(
        `SELECT job, count(*) FILTER (WHERE event='start'), count(*) FILTER (WHERE event='finish')
         FROM tsm_twin_sweep_runs WHERE sweep_id='${sweepId}' GROUP BY job`,
      )
      .map((row) => {
        const [job, starts, finishes] = row.split("|").map(Number)
        return [job!, [starts!, finishes!]] as const
      }),
  )

const finishedCount = (sweepId: string) =>
  Number(
    pg.query(`SELECT count(*) FROM tsm_twin_sweep_runs WHERE sweep_id='${sweepId}' AND event='finish'`)[0],
  )

const expectLocalDigests = (folder: string) => {
  const runs = runsOf(folder)
  expect(runs).toHaveLength(RUNS)
  for (const run of runs)
    expect(run.digest, `point ${run.point} replication ${run.replication}`).toBe(
      localDigests.get(`${run.point}/${run.replication}`),
    )
}

const startRunners = async (n: number) => {
  const ports = await Promise.all(Array.from({ length: n }, freePort))
  const runners = await Promise.all(ports.map((port) => startRunner(port, pg.url)))
  processes.push(...runners)
  return runners.map((runner, i) => ({ runner, name: `127.0.0.1:${ports[i]}` }))
}

beforeAll(async () => {
  pg = await startPostgres()
  const local = mkdtempSync(join(tmpdir(), "local-sweep-"))
  const r = await runSweep(
    { scenario: SCENARIO, vary: [VARY], replications: REPLICATIONS, workers: 2, out: local },
    quiet(),
  )
  expect(r.code, outcomeText(r)).toBe(0)
  for (const run of runsOf(local)) localDigests.set(`${run.point}/${run.replication}`, run.digest)
  // Every point and seed gives its own digest, so equal digests below pin each run to its job.
  expect(new Set(localDigests.values()).size).toBe(RUNS)
}, 600_000)

afterAll(() => {
  for (const p of processes) p.child.kill("SIGKILL")
  pg?.stop()
})

describe("cluster sweeps (PostgreSQL + runner processes)", () => {
  it("loses no run when a runner is SIGKILLed mid-sweep: 12 results, each completed once, local digests", async () => {
    const runners = await startRunners(3)
    const out = mkdtempSync(join(tmpdir(), "cluster-kill-"))
    const before = sweepIds()
    const sweep = runSweep(
      { scenario: SCENARIO, vary: [VARY], replications: REPLICATIONS, workers: null, out, cluster: pg.url },
      quiet(),
    )
    const sweepId = await until(newSweepIdAfter(before), 60_000, "the sweep's submission")
    // The victim is a runner caught in the middle of a run: it has started a run it has not finished.
    const victim = await until(
      () =>
        pg.query(
          `SELECT runner FROM tsm_twin_sweep_runs WHERE sweep_id='${sweepId}'
           GROUP BY runner, job HAVING count(*) FILTER (WHERE event='finish') = 0 LIMIT 1`,
        )[0],
      300_000,
      "a run in flight",
    )
    runners.find((r) => r.name === victim)!.runner.child.kill("SIGKILL")
    const r = await sweep
    expect(r.code, outcomeText(r)).toBe(0)
    expectLocalDigests(out)
    const counts = countsOf(sweepId)
    expect(counts.size).toBe(RUNS)
    for (const [job, [, finishes]] of counts) expect(finishes, `job ${job} finished`).toBe(1)
    // The killed runner's unfinished run was started again elsewhere and finished there.
    const restarted = [...counts].filter(([, [starts]]) => starts > 1).map(([job]) => job)
    expect(restarted.length).toBeGreaterThanOrEqual(1)
    for (const job of restarted)
      expect(
        pg.query(
          `SELECT runner FROM tsm_twin_sweep_runs WHERE sweep_id='${sweepId}' AND job=${job} AND event='finish'`,
        ),
      ).not.toContain(victim)
    const sweepJson = readFileSync(join(out, "sweep.json"), "utf8")
    expect(JSON.parse(sweepJson).sweepId).toBe(sweepId)
    expect(sweepJson + outcomeText(r)).not.toContain(pg.password)
  }, 600_000)

  it("finishes after the submitting CLI is killed: --resume reruns no finished run", async () => {
    const out = mkdtempSync(join(tmpdir(), "cluster-resume-"))
    const cli = startCli(
      [
        "sweep",
        SCENARIO,
        "--vary",
        VARY,
        "--replications",
        String(REPLICATIONS),
        "--out",
        out,
        "--cluster",
        pg.url,
      ],
      pg.url,
    )
    processes.push(cli)
    const sweepId = (await cli.waitFor(/submitted cluster sweep (sw-[0-9a-f]+)/, 180_000))[1]!
    await until(() => (finishedCount(sweepId) >= 3 ? true : undefined), 300_000, "three finished runs")
    cli.child.kill("SIGKILL")
    expect(await cli.exited).toBe("SIGKILL")
    const status = await runSweep(
      { scenario: null, vary: [], replications: 0, workers: null, out: "", status: sweepId, cluster: pg.url },
      quiet(),
    )
    expect(status.code, outcomeText(status)).toBe(0)
    expect(outcomeText(status)).toMatch(/point 5 \(scaleFactor=0\.001\): \d\/2 finished/)
    const r = await runSweep(
      { scenario: null, vary: [], replications: 0, workers: null, out: "", resume: sweepId, cluster: pg.url },
      quiet(),
    )
    expect(r.code, outcomeText(r)).toBe(0)
    expect("folder" in r && r.folder).toBe(out)
    expectLocalDigests(out)
    for (const [job, [starts, finishes]] of countsOf(sweepId))
      expect([job, starts, finishes]).toEqual([job, 1, 1])
    expect(cli.output()).not.toContain(pg.password)
  }, 600_000)

  it("a runner that joins mid-sweep takes work, and PostgreSQL down for a while only stalls the sweep", async () => {
    // SIGTERM: the runners leave cleanly — they say so, and PostgreSQL no longer lists them.
    const leaving = processes.filter((p) => p.child.exitCode === null && p.child.signalCode === null)
    for (const p of leaving) p.child.kill("SIGTERM")
    await Promise.all(leaving.map((p) => p.exited))
    const left = leaving.flatMap(
      (p) => p.output().match(/runner (127\.0\.0\.1:\d+) left the cluster/)?.[1] ?? [],
    )
    expect(left.length, "runners leaving on SIGTERM").toBe(
      leaving.filter((p) => p.child.spawnargs.includes("runner")).length,
    )
    expect(left.length).toBeGreaterThanOrEqual(2)
    const registered = pg.query("SELECT address FROM cluster_runners")
    for (const name of left) expect(registered).not.toContain(name)
    const [first] = await startRunners(1)
    const out = mkdtempSync(join(tmpdir(), "cluster-join-"))
    // Longer runs (ten times the users, eleven months), so the sweep outlasts a runner's start-up.
    const scenario = campaignScenarioFile({ scaleFactor: 0.01, untilDate: "2015-06-30" })
    const vary = VARY.replace(/0\.0/g, "0.")
    // 24 runs: on one runner they take longer than a second runner needs to start and warm up.
    const joinRuns = 24
    const before = sweepIds()
    const sweep = runSweep(
      { scenario, vary: [vary], replications: 4, workers: null, out, cluster: pg.url },
      quiet(),
    )
    const sweepId = await until(newSweepIdAfter(before), 60_000, "the sweep's submission")
    await until(() => (finishedCount(sweepId) >= 1 ? true : undefined), 300_000, "a finished run")
    const [joiner] = await startRunners(1)
    const finishedAtJoin = finishedCount(sweepId)
    expect(finishedAtJoin, "the sweep must still have work when the runner joins").toBeLessThan(joinRuns - 2)
    pg.down()
    await sleep(4_000)
    pg.up()
    const r = await sweep
    expect(r.code, outcomeText(r)).toBe(0)
    expect(runsOf(out)).toHaveLength(joinRuns)
    const byRunner = pg.query(
      `SELECT runner, count(*) FROM tsm_twin_sweep_runs WHERE sweep_id='${sweepId}' AND event='finish' GROUP BY runner`,
    )
    expect(
      byRunner.map((row) => row.split("|")[0]),
      byRunner.join(" "),
    ).toContain(joiner!.name)
    expect(byRunner.map((row) => row.split("|")[0])).toContain(first!.name)
    const counts = countsOf(sweepId)
    expect(counts.size).toBe(joinRuns)
    for (const [, [, finishes]] of counts) expect(finishes).toBe(1)
    for (const p of processes) expect(p.output()).not.toContain(pg.password)
    for (const file of readdirSync(out))
      expect(readFileSync(join(out, file), "utf8")).not.toContain(pg.password)
  }, 600_000)
})
