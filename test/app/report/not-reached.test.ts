/**
 * Proves "not reached": a target whose day lies after the run's simulated end is neither pass nor
 * fail — in the evaluation, the terminal table, summary.json, report.html and the run's exit
 * verdict — while a target due exactly on the run's last day is judged as usual.
 */
import { mkdtempSync, readFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { Effect, Exit } from "effect"
import { describe, expect, it } from "vitest"
import { heldBack } from "../../../app/report/held-back.ts"
import { RunReport } from "../../../app/report/run-report.ts"
import { evaluateTargets, missedTargets } from "../../../app/report/targets.ts"
import { phaseTable } from "../../../app/run/phase-table.ts"
import { runChecks } from "../../../app/run/run-checks.ts"
import { outcomeFixture } from "./run-outcome-fixture.ts"

// Three simulated days; the fixture's cardsIssued series is 100, 200, 300 by day.
const targets = [
  { phase: "due on the last day", kpi: "cardsIssued", atLeast: 301, byDay: 3 },
  { phase: "due after the end", kpi: "cardsIssued", atLeast: 1_000, byDay: 4 },
  { phase: "met on the last day", kpi: "cardsIssued", atLeast: 300, byDay: 3 },
]

describe("targets the run never reached", () => {
  const outcome = outcomeFixture(3, { targets })
  const results = evaluateTargets(outcome)

  it("are not reached, while a target due on the last day is judged", () => {
    expect(results.map((r) => r.result)).toEqual(["fail", "not reached", "pass"])
    expect(results.map((r) => r.pass)).toEqual([false, false, true])
    expect(missedTargets(results).map((r) => r.phase)).toEqual(["due on the last day"])
    expect(heldBack(outcome, results).map((h) => h.phase)).toEqual(["due on the last day"])
  })

  it("show as not reached in the table, summary.json and report.html", () => {
    const table = phaseTable(outcome, 1)
    expect(table).toMatch(/due after the end\s+cardsIssued\s+1000\s+300\s+not reached\s+—/)
    expect(table).toMatch(/due on the last day\s+cardsIssued\s+301\s+300\s+FAIL/)
    const folder = mkdtempSync(join(tmpdir(), "not-reached-"))
    new RunReport(folder).finish(outcome)
    const summary = JSON.parse(readFileSync(join(folder, "summary.json"), "utf8"))
    expect(summary).toMatchObject({ targetsMissed: 1, targetsNotReached: 1 })
    expect(summary.targets[1]).toMatchObject({ phase: "due after the end", result: "not reached" })
    const html = readFileSync(join(folder, "report.html"), "utf8")
    expect(html).toContain('<td class="not-reached">not reached</td>')
    expect(html).toContain('<td class="fail">fail</td>')
  })

  it("fail the run only when a reached target is missed; an invariant violation fails it too", () => {
    const verdict = (violations: number, targetsMissed: number) =>
      Effect.runSyncExit(runChecks({ scenario: "s", where: "summary.json", violations, targetsMissed }))
    expect(Exit.isSuccess(verdict(0, 0))).toBe(true)
    const missed = verdict(0, missedTargets(results).length)
    expect(Exit.isFailure(missed) && JSON.stringify(missed.cause)).toContain("target-missed")
    const onlyNotReached = evaluateTargets(outcomeFixture(3, { targets: [targets[1]!, targets[2]!] }))
    expect(Exit.isSuccess(verdict(0, missedTargets(onlyNotReached).length))).toBe(true)
    expect(JSON.stringify(verdict(2, 0))).toContain("invariant-violated")
  })
})
