// Proves that a money run is paced by sim/run's RunControl like issuance and pilot runs: SIGINT
// while it runs makes the CLI exit 130 within 2 s and leaves summary.json with status
// "interrupted" (the flows so far, no digest, simulated end before the scenario's last day) and
// report.html. The scenario is the money workbench (the old 03) stretched to 30 days, so the signal lands mid-run.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join, resolve } from "node:path"
import { describe, expect, it } from "vitest"
import { expectInterruptedFolder, interruptRun } from "./interrupt-run.ts"

const ROOT = resolve(import.meta.dirname, "../../..")
const US_PER_DAY = 86_400_000_000

describe("tsm-twin run (money) on SIGINT", () => {
  it("exits 130 with an interrupted run folder", async () => {
    const out = mkdtempSync(join(tmpdir(), "money-sigint-"))
    const scenario = join(out, "money-30-days.json")
    const library = JSON.parse(
      readFileSync(join(ROOT, "test/model/world/money/money-workbench.json"), "utf8"),
    )
    writeFileSync(scenario, JSON.stringify({ ...library, transactions: 60_000, days: 30 }))
    const summary = expectInterruptedFolder(await interruptRun(scenario, out), out)
    expect(summary.simulatedEndUs).toBeGreaterThan(0)
    expect(summary.simulatedEndUs).toBeLessThan(30 * US_PER_DAY)
    const flows = Object.values(summary.perKind as Record<string, { count: number }>)
    const finished = flows.reduce((n, k) => n + k.count, 0)
    expect(finished).toBeGreaterThan(0)
    expect(finished).toBeLessThan(60_000)
  }, 180_000)
})
