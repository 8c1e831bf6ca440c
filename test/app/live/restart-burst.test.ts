// Proves run replacement is serialized: 50 restart commands sent at once to the viewer server leave
// exactly one pilot run looping (the last one asked for), every command acknowledged, and the
// process's RSS back within 20 % of what it was with one run before the burst. Before this was
// fixed, each restart started a run beside the old ones (50 → RSS 160 → 583 MB).
import { execFileSync } from "node:child_process"
import { resolve } from "node:path"
import { describe, expect, it } from "vitest"

const ROOT = resolve(import.meta.dirname, "../../..")

describe("restart burst", () => {
  it("50 concurrent restarts leave one run alive and RSS within 20 % of its start", () => {
    const out = execFileSync(
      process.execPath,
      ["--expose-gc", "--import", "tsx", "test/app/live/restart-burst.fixture.ts", "0.02"],
      { cwd: ROOT, encoding: "utf8", timeout: 170_000 },
    )
    const r = JSON.parse(out.trim().split("\n").at(-1)!) as {
      [k in
        | "rssStart"
        | "rssEnd"
        | "loopsAfterAcks"
        | "loops"
        | "seed"
        | "acks"
        | "simulatedUs"
        | "loopsAfterClose"]: number
    }
    expect(r.acks).toBe(50)
    expect(r.loopsAfterAcks).toBe(1)
    expect(r.loops).toBe(1)
    expect(r.seed).toBe(150)
    expect(r.simulatedUs).toBeGreaterThan(0)
    expect(r.loopsAfterClose).toBe(0)
    expect(r.rssEnd).toBeLessThanOrEqual(1.2 * r.rssStart)
  }, 180_000)
})
