// Proves `npm start` is watchable and still ends by itself, also when its port is taken: with
// 127.0.0.1:8730 held by another server, run as a child with stdout a pipe (as CI runs it) at a
// tiny scale, it says the port is taken, prints a viewer URL on another port before the run ends,
// the page answers while the run goes, then the phase-target table and the headless run's digest,
// and it exits 0.
import { spawn } from "node:child_process"
import { readFileSync } from "node:fs"
import { createServer, type Server } from "node:net"
import { resolve } from "node:path"
import { describe, expect, it } from "vitest"
import { nativeCrypto } from "../../../model/crypto/native-crypto.ts"
import { runPilot } from "../../../model/world/pilot/pilot-run.ts"
import { decodePilotScenario } from "../../../model/world/pilot/pilot-scenario.ts"

const ROOT = resolve(import.meta.dirname, "../../..")
const SCALE = 0.005

/** Holds 127.0.0.1:port; null when something else already holds it (then it is taken anyway). */
const hold = (port: number): Promise<Server | null> =>
  new Promise((done) => {
    const server = createServer()
    server.once("error", () => done(null))
    server.listen(port, "127.0.0.1", () => done(server))
  })

describe("npm start (watched)", () => {
  it("with port 8730 taken, prints another viewer URL first, serves it, prints the table and exits", async () => {
    const holder = await hold(8730)
    const env: Record<string, string | undefined> = { ...process.env, TSM_TWIN_START_SCALE: String(SCALE) }
    delete env.TSM_TWIN_PORT
    const child = spawn("npm", ["start"], { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] })
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
    holder?.close()
    expect(out).toContain("port 8730 is taken; serving on ")
    expect(out).not.toContain("viewer: http://127.0.0.1:8730/")
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
