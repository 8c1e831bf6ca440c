// Proves `tsm-twin sweep` end to end on a small issuance scenario: the grid runs on worker threads,
// each KPI's interval is the Student-t 95 % interval of its replications (recomputed here from the
// per-run values), issuance latency falls as MTPS servers are added, the three files are written,
// and a bad --vary exits 2 naming the path before anything runs.
import { spawnSync } from "node:child_process"
import { mkdtempSync, readFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join, resolve } from "node:path"
import { describe, expect, it } from "vitest"
import { ProgressBar } from "../../../app/cli/progress-bar.ts"
import { runSweep } from "../../../app/cli/sweep-command.ts"
import { capacityScenarioFile } from "./capacity-scenario.ts"

const ROOT = resolve(import.meta.dirname, "../../..")
const FIXTURE = capacityScenarioFile()
// t(0.975, 2 degrees of freedom), from the standard table.
const T_975_DF2 = 4.303

const quiet = () => new ProgressBar({ isTTY: false, write: () => true })

describe("tsm-twin sweep", () => {
  it("runs servers × replications in parallel, with 95 % intervals and latency falling with capacity", async () => {
    const out = mkdtempSync(join(tmpdir(), "sweep-"))
    const r = await runSweep(
      { scenario: FIXTURE, vary: ["mtpsServers=1,2,4"], replications: 3, workers: 2, out },
      quiet(),
    )
    expect(r.code, "message" in r ? r.message : "").toBe(0)
    const sweep = JSON.parse(readFileSync(join(out, "sweep.json"), "utf8"))
    expect(sweep.paths).toEqual(["mtpsServers"])
    expect(sweep.seeds).toEqual([1, 2, 3])
    expect(sweep.runs).toHaveLength(9)
    // Every run is listed with its point, replication, seed and event-log digest; replication r
    // runs seed 1 + r at every point (common random numbers), so points differ in their digests.
    for (const [j, run] of (sweep.runs as Array<Record<string, unknown>>).entries()) {
      expect(run).toMatchObject({ point: Math.floor(j / 3), replication: j % 3, seed: 1 + (j % 3) })
      expect(run.digest).toMatch(/^[0-9a-f]{64}$/)
    }
    expect(new Set(sweep.runs.map((run: { digest: string }) => run.digest)).size).toBe(9)
    for (const [p, point] of (
      sweep.points as Array<{ kpis: Record<string, { n: number; mean: number; halfWidth95: number }> }>
    ).entries()) {
      const xs = sweep.runs
        .filter((run: { point: number }) => run.point === p)
        .map((run: { kpis: Record<string, number> }) => run.kpis.issueLatencyUsMean)
      const mean = xs.reduce((a: number, b: number) => a + b, 0) / 3
      const sd = Math.sqrt(xs.reduce((a: number, x: number) => a + (x - mean) ** 2, 0) / 2)
      const ci = point.kpis.issueLatencyUsMean!
      expect(ci.n).toBe(3)
      expect(ci.mean).toBeCloseTo(mean, 3)
      expect(ci.halfWidth95).toBeCloseTo((T_975_DF2 * sd) / Math.sqrt(3), 3)
    }
    const latency = sweep.points.map(
      (p: { kpis: Record<string, { mean: number }> }) => p.kpis.issueLatencyUsMean!.mean,
    )
    expect(latency[0]).toBeGreaterThan(latency[1])
    expect(latency[1]).toBeGreaterThan(latency[2])
    const csv = readFileSync(join(out, "sweep.csv"), "utf8").split("\n")
    expect(csv[0]).toBe("mtpsServers,kpi,n,mean,halfWidth95,low95,high95")
    const html = readFileSync(join(out, "sweep.html"), "utf8")
    expect(html).toContain('data-kpi="issueLatencyUsMean"')
    expect(html).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org)/)
    // One error bar per grid point on each KPI chart.
    const section = html.slice(html.indexOf('data-kpi="issueLatencyUsMean"'))
    expect(section.slice(0, section.indexOf("</section>")).match(/class="ci"/g)).toHaveLength(3)
  }, 180_000)

  it("exits 2 naming the path for a missing field, a wrong type or an out-of-range value", () => {
    const cli = (...args: string[]) =>
      spawnSync(process.execPath, [join(ROOT, "bin/tsm-twin.mjs"), "sweep", FIXTURE, ...args], {
        encoding: "utf8",
        cwd: ROOT,
      })
    const missing = cli("--vary", "mtpsServerz=1,2")
    expect(missing.status).toBe(2)
    expect(missing.stderr).toContain("mtpsServerz")
    const wrongType = cli("--vary", "mtpsServers=1,lots")
    expect(wrongType.status).toBe(2)
    expect(wrongType.stderr).toContain('mtpsServers: "lots" is not a number')
    const range = cli("--vary", "mtpsServers=0,1")
    expect(range.status).toBe(2)
    expect(range.stderr).toContain('["mtpsServers"]')
  }, 60_000)
})
