// Proves that scenario 02 (1,000 users, real crypto on every APDU, MAC and signature) keeps every
// invariant and reproduces its golden digest, so the same seed gives the same run. After an
// intended behaviour change, refresh the golden file with TSM_TWIN_UPDATE_GOLDEN=1.
import { existsSync, readFileSync, writeFileSync } from "node:fs"
import { resolve } from "node:path"
import { Effect } from "effect"
import { describe, expect, it } from "vitest"
import { ISSUANCE_LAYERS, issuanceRun } from "../../../../model/world/issuance/issuance-root.ts"
import { scenario02 } from "./small-scenario.ts"

const GOLDEN = resolve(import.meta.dirname, "golden/02-issuance-1000.digest")

describe("scenario 02-issuance-1000", () => {
  it("runs with zero violations, every order ended, and the golden digest", () => {
    const sc = scenario02()
    const run = Effect.runSync(issuanceRun(sc, sc.seed).pipe(Effect.provide(ISSUANCE_LAYERS)))
    expect(Object.values(run.audit.counts).reduce((n, c) => n + c.violations, 0)).toBe(0)
    expect(run.audit.counts["orders-terminal"].checks).toBeGreaterThan(sc.users)
    const issued = [...run.driver.flows]
      .filter(([k]) => k.startsWith("issue."))
      .reduce((n, [, v]) => n + v, 0)
    expect(issued).toBe(sc.users)
    if (process.env.TSM_TWIN_UPDATE_GOLDEN === "1") writeFileSync(GOLDEN, `${run.digest}\n`)
    expect(existsSync(GOLDEN), `${GOLDEN} missing: run with TSM_TWIN_UPDATE_GOLDEN=1`).toBe(true)
    expect(run.digest).toBe(readFileSync(GOLDEN, "utf8").trim())
  }, 90_000)
})
