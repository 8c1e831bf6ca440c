/**
 * Proves that every published vector passes on both crypto layers, and that `tsm-twin vectors`
 * reports a user's own vector directory per vector: failures with their source, unknown kinds as
 * skipped, unknown fields as notes, unreadable files as problems — with the documented exit codes.
 */
import { spawnSync } from "node:child_process"
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join, resolve } from "node:path"
import { describe, expect, it } from "vitest"
import { formatReport, runVectors } from "../../../app/vectors/run-vectors.ts"
import { loadVectorDirectory } from "../../../app/vectors/vector-directory.ts"

const ROOT = resolve(import.meta.dirname, "../../..")
const VECTORS = join(ROOT, "test/vectors")

const cli = (...args: string[]) =>
  spawnSync(process.execPath, [join(ROOT, "bin/tsm-twin.mjs"), ...args], { encoding: "utf8", cwd: ROOT })

const published = (): { files: number; vectors: number } => {
  const loaded = loadVectorDirectory(VECTORS)
  if ("error" in loaded) throw new Error(loaded.error)
  return { files: loaded.files.length, vectors: loaded.files.reduce((n, f) => n + f.vectors.length, 0) }
}

describe("published vectors", () => {
  it("pass, every one, on the native and the reference layer", () => {
    const loaded = loadVectorDirectory(VECTORS)
    if ("error" in loaded) throw new Error(loaded.error)
    const report = runVectors(loaded)
    const notPassed = report.outcomes.filter((o) => o.outcome !== "pass")
    expect(notPassed, formatReport(report)).toEqual([])
    expect(report.skippedKinds).toEqual([])
    expect(report.fileProblems).toEqual([])
    // ber_tlv runs once (no crypto); every other vector runs on both layers.
    const tlv = loaded.files.find((f) => f.kind === "ber_tlv")!.vectors.length
    expect(report.outcomes.length).toBe(2 * (published().vectors - tlv) + tlv)
  })
})

describe("tsm-twin vectors", () => {
  it("ends with 'N passed, 0 failed' and exit 0 on the published vectors", () => {
    const result = cli("vectors", VECTORS)
    const lines = result.stdout.trim().split("\n")
    expect(lines.at(-1)).toMatch(/^\d+ passed, 0 failed$/)
    expect(result.status).toBe(0)
  })

  it("reports a wrong expected value with the vector's id and source, and exits 1", () => {
    const dir = mkdtempSync(join(tmpdir(), "vectors-"))
    cpSync(join(VECTORS, "sm3.json"), join(dir, "sm3.json"))
    const file = JSON.parse(readFileSync(join(dir, "sm3.json"), "utf8"))
    const digest: string = file.vectors[0].digest_hex
    file.vectors[0].digest_hex = (digest[0] === "0" ? "1" : "0") + digest.slice(1)
    file.vectors[0].my_hsm_field = "kept for our records"
    writeFileSync(join(dir, "sm3.json"), JSON.stringify(file))
    writeFileSync(
      join(dir, "x25519.json"),
      JSON.stringify({ kind: "x25519", format_version: 1, vectors: [{ id: "a" }] }),
    )
    writeFileSync(join(dir, "broken.json"), "{ not json")
    const result = cli("vectors", dir)
    const out = result.stdout
    expect(out).toContain(`FAIL sm3 ${file.vectors[0].id} [native]`)
    expect(out).toContain(`FAIL sm3 ${file.vectors[0].id} [reference]`)
    expect(out).toContain(file.vectors[0].source)
    expect(out).toContain('SKIPPED x25519.json: unknown kind "x25519"')
    expect(out).toContain("PROBLEM broken.json: not readable JSON")
    expect(out).toContain("unknown fields ignored: my_hsm_field")
    const passing = 2 * (file.vectors.length - 1)
    expect(out.trim().split("\n").at(-1)).toBe(`${passing} passed, 3 failed`)
    expect(result.status).toBe(1)
  })

  it("names the missing or malformed field of an invalid vector", () => {
    const dir = mkdtempSync(join(tmpdir(), "vectors-"))
    const vectors = [{ id: "bad-1", source: "hand-made", mode: "CTR", key_hex: "ABC", plaintext_hex: "00" }]
    writeFileSync(join(dir, "sm4.json"), JSON.stringify({ kind: "sm4", format_version: 1, vectors }))
    const result = cli("vectors", dir)
    expect(result.stdout).toContain("INVALID sm4 bad-1 [native]")
    expect(result.stdout).toMatch(/mode: expected one of "ECB", "CBC", got "CTR"/)
    expect(result.stdout).toMatch(/key_hex: expected hex \(hex has an odd number of digits \(3\)\)/)
    expect(result.stdout).toMatch(/ciphertext_hex: expected a hex string, got missing/)
    expect(result.status).toBe(1)
  })

  it("fails a pboc_atc vector whose ATC was altered, and names an unknown session_key_method", () => {
    const dir = mkdtempSync(join(tmpdir(), "vectors-"))
    const file = JSON.parse(readFileSync(join(VECTORS, "emv_arqc.json"), "utf8"))
    const pboc = file.vectors.filter(
      (v: { session_key_method?: string }) => v.session_key_method === "pboc_atc",
    )
    expect(pboc.length).toBeGreaterThan(0)
    const altered = { ...pboc[0], id: "altered-atc", atc_hex: "0002" }
    const common = {
      ...pboc[0],
      id: "as-emv-common",
      session_key_method: "emv_common",
      r_hex: "0001000000000000",
    }
    const unknown = { ...pboc[0], id: "unknown-method", session_key_method: "visa_cvn10" }
    file.vectors = [pboc[0], altered, common, unknown]
    writeFileSync(join(dir, "emv_arqc.json"), JSON.stringify(file))
    const loaded = loadVectorDirectory(dir)
    if ("error" in loaded) throw new Error(loaded.error)
    const byId = (id: string) => runVectors(loaded).outcomes.filter((o) => o.id === id)
    expect(byId(pboc[0].id).map((o) => o.outcome)).toEqual(["pass", "pass"])
    for (const o of byId("altered-atc")) {
      expect(o.outcome).toBe("fail")
      expect(o.details.join("\n")).toContain("session_key_hex")
    }
    // The same card data under EMV's common session key does not give the PBOC key.
    expect(byId("as-emv-common").map((o) => o.outcome)).toEqual(["fail", "fail"])
    const invalid = byId("unknown-method")
    expect(invalid.map((o) => o.outcome)).toEqual(["invalid", "invalid"])
    expect(invalid[0]!.details.join("\n")).toMatch(
      /session_key_method: expected one of "emv_common", "pboc_atc"/,
    )
  })

  it("exits 2 with a clear message when the directory does not exist", () => {
    const result = cli("vectors", join(ROOT, "no-such-directory"))
    expect(result.stderr).toContain("cannot read directory")
    expect(result.status).toBe(2)
  })
})
