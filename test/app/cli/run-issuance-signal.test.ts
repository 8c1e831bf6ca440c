// Proves that an issuance run (the issuance workbench, the old scenario 02) is paced by sim/run's RunControl like the pilot: SIGINT
// while it runs makes the CLI exit 130 within 2 s and leaves summary.json with status
// "interrupted" (the outcome so far, simulated end before the scenario's last day) and report.html.
import { existsSync, mkdtempSync, readFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join, resolve } from "node:path"
import { describe, expect, it } from "vitest"
import { interruptRun } from "./interrupt-run.ts"

const _ROOT = resolve(import.meta.dirname, "../../..")

describe("tsm-twin run (issuance) on SIGINT", () => {
  it("exits 130 with an interrupted run folder", async () => {
    const out = mkdtempSync(join(tmpdir(), "issuance-sigint-"))
    const { code, runningAtSignal, signalToExitMs, stderr } = await interruptRun(
      "test/model/world/issuance/issuance-workbench.json",
      out,
    )
    expect(runningAtSignal, stderr).toBe(true)
    expect(signalToExitMs).toBeLessThan(2000)
    expect(code, stderr).toBe(130)
    expect(stderr).toMatch(/interrupted on \d{4}-\d\d-\d\d: partial report/)
    const summary = JSON.parse(readFileSync(join(out, "summary.json"), "utf8"))
    expect(summary.status).toBe("interrupted")
    expect(summary.digest).toBeNull()
    expect(summary.simulatedEndUs).toBeLessThan(60 * 86_400_000_000)
    expect(existsSync(join(out, "report.html"))).toBe(true)
  }, 180_000)
})
