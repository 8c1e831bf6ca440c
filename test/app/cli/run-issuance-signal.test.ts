// Proves that an issuance run (the issuance workbench, the old scenario 02) is paced by sim/run's RunControl like the pilot: SIGINT
// while it runs makes the CLI exit 130 within 2 s and leaves summary.json with status
// "interrupted" (the outcome so far, simulated end before the scenario's last day) and report.html.
import { mkdtempSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { expectInterruptedFolder, interruptRun } from "./interrupt-run.ts"

describe("tsm-twin run (issuance) on SIGINT", () => {
  it("exits 130 with an interrupted run folder", async () => {
    const out = mkdtempSync(join(tmpdir(), "issuance-sigint-"))
    const interrupted = await interruptRun("test/model/world/issuance/issuance-workbench.json", out)
    const summary = expectInterruptedFolder(interrupted, out)
    expect(summary.simulatedEndUs).toBeLessThan(60 * 86_400_000_000)
  }, 180_000)
})
