// Proves `npm start` is watchable and still ends by itself: run as a child with stdout a pipe (as
// CI runs it) at a tiny scale, it prints the viewer's URL before the run ends, the page answers
// while the run goes, then the phase-target table and the headless run's digest, and it exits 0.
import { spawn } from "node:child_process"
import { readFileSync } from "node:fs"
import { resolve } from "node:path"
import { describe, expect, it } from "vitest"
import { nativeCrypto } from "../../../model/crypto/native-crypto.ts"
import { runPilot } from "../../../model/world/pilot/pilot-run.ts"
import { decodePilotScenario } from "../../../model/world/pilot/pilot-scenario.ts"

const ROOT = resolve(import.meta.dirname, "../../..")
const SCALE = 0.005

describe("npm start (watched)", () => {
  it("prints the viewer URL first, serves it during the run, prints the table and exits", async () => {
    const child = spawn(process.execPath, ["--import", "tsx", "app/cli/watched-start.ts"], {
      cwd: ROOT,
      env: { ...process.env, TSM_TWIN_START_SCALE: String(SCALE), TSM_TWIN_PORT: "0" },
      stdio: ["ignore", "pipe", "pipe"],
    })
    let out = ""
    let pageStatus = 0
    const fetched = new Promise<void>((done) => {
      child.stdout.on("data", (chunk: Buffer) => {
        out += String(chunk)
        const url = /viewer: (http:\/\/127\.0\.0\.1:\d+\/)/.exec(out)?.[1]
        if (url !== undefined && pageStatus === 0) {
          pageStatus = -1
          fetch(url).then(
            (r) => {
              pageStatus = r.status
              done()
            },
            () => done(),
          )
        }
      })
    })
    const code = await new Promise<number | null>((done) => child.on("exit", done))
    await fetched
    expect(code).toBe(0)
    expect(pageStatus).toBe(200)
    expect(out.indexOf("viewer: http://127.0.0.1:")).toBeLessThan(out.indexOf("phase 1 (2015-07)"))
    const decoded = decodePilotScenario(
      JSON.parse(readFileSync(resolve(ROOT, "scenarios/04-pilot-plan.json"), "utf8")),
    )
    if (!decoded.ok) throw new Error(decoded.message)
    const headless = runPilot({
      scenario: decoded.value,
      population: decoded.population,
      scale: SCALE,
      seed: decoded.value.seed,
      crypto: nativeCrypto,
    })
    expect(out).toContain(`digest ${headless.world.digest.hex()}, 0 invariant violations`)
  }, 120_000)
})
