// Proves `tsm-twin run` end to end as a user runs it: a small issuance scenario as a subprocess
// writes summary.json (complete, zero violations, the digest it printed) and pki/, whose every
// institution certificate the real `openssl verify` accepts against ca.pem with the GM/T 0009 ID
// (and rejects without it); a bad scenario exits 2 naming the JSON path.
import { spawnSync } from "node:child_process"
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join, resolve } from "node:path"
import { describe, expect, it } from "vitest"
import { smallScenario } from "../../model/world/issuance/small-scenario.ts"

const ROOT = resolve(import.meta.dirname, "../../..")

const cli = (...args: string[]) =>
  spawnSync(process.execPath, [join(ROOT, "bin/tsm-twin.mjs"), ...args], { encoding: "utf8", cwd: ROOT })

const openssl = (...args: string[]) => {
  const result = spawnSync("openssl", args, { encoding: "utf8" })
  if (result.error !== undefined) throw new Error(`openssl could not run: ${result.error.message}`)
  return result
}

describe("tsm-twin run (issuance)", () => {
  it("writes summary.json and a pki/ folder that openssl verifies", () => {
    const dir = mkdtempSync(join(tmpdir(), "run-issuance-"))
    const scenarioPath = join(dir, "small.json")
    writeFileSync(
      scenarioPath,
      JSON.stringify({
        ...smallScenario({ users: 12, durationDays: 20, envelopeDuplicationPermille: 0 }),
        name: "small",
      }),
    )
    const out = join(dir, "out")
    const run = cli("run", scenarioPath, "--out", out, "--seed", "3")
    expect(run.status, run.stderr).toBe(0)
    const summary = JSON.parse(readFileSync(join(out, "summary.json"), "utf8"))
    expect(summary.status).toBe("complete")
    expect(summary.seed).toBe(3)
    expect(summary.violations).toEqual([])
    expect(run.stdout).toContain(summary.digest)
    expect(summary.envelopesRejected).toEqual({ total: 0, byVerdict: {} })
    const pems = readdirSync(join(out, "pki")).filter((f) => f !== "ca.pem")
    expect(pems).toEqual(expect.arrayContaining(["mtps.pem", "gzt-tsm.pem", "cmcc-tsm.pem", "ese-tsm.pem"]))
    const ca = join(out, "pki/ca.pem")
    for (const pem of pems) {
      const verified = openssl(
        "verify",
        "-vfyopt",
        "distid:1234567812345678",
        "-CAfile",
        ca,
        join(out, "pki", pem),
      )
      expect(verified.status, `${pem}: ${verified.stdout}${verified.stderr}`).toBe(0)
    }
    // Without the SM2 distinguishing ID OpenSSL computes another ZA, and the signature fails.
    expect(openssl("verify", "-CAfile", ca, join(out, "pki/gzt-tsm.pem")).status).not.toBe(0)
  }, 60_000)

  it("exits 2 on a bad scenario, naming the path", () => {
    const dir = mkdtempSync(join(tmpdir(), "run-issuance-bad-"))
    const scenarioPath = join(dir, "bad.json")
    writeFileSync(
      scenarioPath,
      JSON.stringify({ ...smallScenario(), otaBearers: { cmcc: "carrier-pigeon" } }),
    )
    const run = cli("run", scenarioPath, "--out", join(dir, "out"))
    expect(run.status).toBe(2)
    expect(run.stderr).toContain('["otaBearers"]')
  }, 30_000)
})
