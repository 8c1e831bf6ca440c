/**
 * Proves the exit codes through the real CLI (`node --import tsx app/cli/main.ts …`), as a user
 * or script sees them: a bad file or flag exits 2 naming every error's path or flag with no stack
 * trace, a run that misses a reached phase target exits 1, and phases after `--until` are
 * "not reached" in the table, summary.json and report.html (and fail nothing: exit 0).
 */
import { spawnSync } from "node:child_process"
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join, resolve } from "node:path"
import { describe, expect, it } from "vitest"

const ROOT = resolve(import.meta.dirname, "../../..")
const dir = mkdtempSync(join(tmpdir(), "cli-errors-"))

const cli = (...args: string[]) =>
  spawnSync(process.execPath, ["--import", "tsx", join(ROOT, "app/cli/main.ts"), ...args], {
    encoding: "utf8",
    cwd: ROOT,
  })

/** A Node stack frame ("    at fn (file:line:col)") anywhere in the output. */
const STACK_FRAME = /^\s+at .+:\d+:\d+\)?$/m

const pilot = () => JSON.parse(readFileSync(join(ROOT, "scenarios/04-pilot-plan.json"), "utf8"))

describe("bad input exits 2 with no stack trace", () => {
  it("validate names every planted error by its JSON path, and refuses null and non-UTF-8 files", () => {
    const s = pilot()
    s.colour = "red"
    s.capacity.mtps.servrs = 2
    s.apps[0].launchDate = "2015-02-30"
    s.phases[1].endDate = "2015-06-30"
    const five = join(dir, "five.json")
    writeFileSync(five, JSON.stringify({ ...s, untilDate: "2018-01-01" }))
    const nul = join(dir, "null.json")
    writeFileSync(nul, "null")
    const latin1 = join(dir, "latin1.json")
    writeFileSync(latin1, Buffer.from([0x7b, 0x22, 0xe9, 0x22, 0x3a, 0x31, 0x7d]))
    const r = cli("validate", "scenarios/01-one-card.json", five, nul, latin1)
    expect(r.status, r.stderr).toBe(2)
    expect(r.stdout).toContain("scenarios/01-one-card.json: valid pilot scenario")
    expect(r.stderr).not.toMatch(STACK_FRAME)
    for (const at of [
      '["colour"]',
      '["capacity"]["mtps"]["servrs"]: unknown key "servrs"; did you mean "servers"?',
      '["apps"][0]["launchDate"]',
      '["phases"][1]["endDate"]',
      '["untilDate"]',
    ])
      expect(r.stderr).toContain(`at ${at}`)
    expect(r.stderr).toContain(`${five}: 5 errors`)
    expect(r.stderr).toContain("not null")
    expect(r.stderr).toContain("not UTF-8 text (byte 2 is 0xe9)")
    expect(r.stderr).toContain("3 of 4 files have errors")
  }, 60_000)

  it("run --seed -5 is named by its flag (the other flags: scenario-input.test.ts)", () => {
    const r = cli("run", "scenarios/04-pilot-plan.json", "--out", join(dir, "never"), "--seed", "-5")
    expect(r.status, r.stderr).toBe(2)
    expect(r.stderr).toContain("at --seed: Expected a value greater than or equal to 0 (given -5)")
    expect(r.stderr).not.toMatch(STACK_FRAME)
  }, 60_000)
})

describe("run verdicts", () => {
  it("05-pilot-realistic at a small scale misses reached phase targets and exits 1", () => {
    const out = join(dir, "r05")
    const r = cli("run", "scenarios/05-pilot-realistic.json", "--scale", "0.002", "--out", out)
    expect(r.status, r.stderr.slice(-500)).toBe(1)
    expect(r.stdout).toMatch(/phase 1 \(2015-07\)\s+cards\s.*FAIL/)
    expect(r.stderr).toContain("phase targets reached and missed")
    const summary = JSON.parse(readFileSync(join(out, "summary.json"), "utf8"))
    expect(summary.status).toBe("complete")
    expect(summary.targetsMissed).toBeGreaterThan(0)
  }, 120_000)

  it("phases after --until are not reached (neither pass nor FAIL) and the run exits 0", () => {
    const out = join(dir, "r04")
    const r = cli(
      "run",
      "scenarios/04-pilot-plan.json",
      "--scale",
      "0.002",
      "--until",
      "2015-12-31",
      "--out",
      out,
    )
    expect(r.status, r.stderr.slice(-500)).toBe(0)
    const rows = r.stdout.split("\n").filter((l) => l.startsWith("phase "))
    expect(rows.filter((l) => l.startsWith("phase 1")).every((l) => / pass /.test(l))).toBe(true)
    expect(rows.filter((l) => /^phase [23]/.test(l)).every((l) => l.includes("not reached"))).toBe(true)
    expect(rows.filter((l) => /^phase [23]/.test(l))).toHaveLength(8)
    const summary = JSON.parse(readFileSync(join(out, "summary.json"), "utf8"))
    const results = summary.targets.map((t: { result: string }) => t.result)
    expect(results).toEqual([...Array(4).fill("pass"), ...Array(8).fill("not reached")])
    expect(summary.targetsNotReached).toBe(8)
    expect(summary.targetsMissed).toBe(0)
    expect(readFileSync(join(out, "report.html"), "utf8")).toContain(
      '<td class="not-reached">not reached</td>',
    )
  }, 120_000)
})
