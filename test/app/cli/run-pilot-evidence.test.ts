// Proves the byte-level evidence of a pilot run as a user checks it (issue 12 item 5): `tsm-twin run
// … --byte-level 1 --trace-cards 1` writes messages.ndjson (every envelope: hex, signer, receiver,
// verdict) whose signatures the real `openssl pkeyutl -verify` accepts under the signer's
// certificate from pki/ (itself verified against pki/ca.pem), and rejects once a byte is changed;
// and a pcap of the first byte-level card's APDUs that the real tshark decodes as ISO 7816, and
// one of its OTA packets that tshark decodes on the card's bearer (SMS-PP, CAT-TP or HTTP).
// Bad flag values exit 2 naming the flag.
import { spawnSync } from "node:child_process"
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join, resolve } from "node:path"
import { beforeAll, describe, expect, it } from "vitest"

const ROOT = resolve(import.meta.dirname, "../../..")
const DISTID = "distid:1234567812345678"

const cli = (...args: string[]) =>
  spawnSync(process.execPath, [join(ROOT, "bin/tsm-twin.mjs"), ...args], { encoding: "utf8", cwd: ROOT })

const tool = (name: string, ...args: string[]) => {
  const result = spawnSync(name, args, { encoding: "utf8" })
  if (result.error !== undefined) throw new Error(`${name} could not run: ${result.error.message}`)
  return result
}

const fromHex = (text: string): Buffer => Buffer.from(text, "hex")

/** r ‖ s (32 bytes each) as the DER SEQUENCE of two INTEGERs that OpenSSL reads. */
const derSignature = (rs: Buffer): Buffer => {
  const integer = (bytes: Buffer) => {
    let start = 0
    while (start < bytes.length - 1 && bytes[start] === 0) start++
    const body =
      bytes[start]! & 0x80 ? Buffer.concat([Buffer.of(0), bytes.subarray(start)]) : bytes.subarray(start)
    return Buffer.concat([Buffer.of(0x02, body.length), body])
  }
  const body = Buffer.concat([integer(rs.subarray(0, 32)), integer(rs.subarray(32))])
  return Buffer.concat([Buffer.of(0x30, body.length), body])
}

interface Line {
  readonly signer: string
  readonly receiver: string
  readonly hex: string
  readonly verdict: string
  readonly message: string
}

describe("tsm-twin run (pilot, byte-level evidence)", () => {
  const dir = mkdtempSync(join(tmpdir(), "run-pilot-evidence-"))
  const out = join(dir, "run")
  let lines: Line[] = []
  let summary: { fidelity: Record<string, number> }

  beforeAll(() => {
    const r = cli(
      ...["run", "scenarios/04-pilot-plan.json", "--scale", "0.001", "--until", "2014-09-30"],
      ...["--byte-level", "1", "--trace-cards", "1", "--out", out],
    )
    expect(r.status, r.stderr).toBe(0)
    lines = readFileSync(join(out, "messages.ndjson"), "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as Line)
    summary = JSON.parse(readFileSync(join(out, "summary.json"), "utf8"))
  }, 300_000)

  it("lists every envelope, each accepted by its receiver", () => {
    expect(lines.length).toBeGreaterThan(0)
    expect(lines.length).toBe(summary.fidelity.envelopes)
    expect(lines.every((l) => l.verdict === "accepted")).toBe(true)
    expect(new Set(lines.map((l) => l.signer))).toContain("mtps")
    expect(summary.fidelity.byteLevelCards).toBe(summary.fidelity.cardsIssued)
  })

  it("openssl verifies envelopes under the signer's certificate from pki/, and not a changed one", () => {
    const ca = join(out, "pki/ca.pem")
    // One envelope of each signer and message kind.
    const picked = [...new Map(lines.map((l) => [`${l.signer}/${l.message}`, l])).values()]
    expect(picked.length).toBeGreaterThanOrEqual(4)
    for (const [i, line] of picked.entries()) {
      const cert = join(out, "pki", `${line.signer}.pem`)
      expect(tool("openssl", "verify", "-vfyopt", DISTID, "-CAfile", ca, cert).status).toBe(0)
      const pub = join(dir, `pub-${i}.pem`)
      expect(tool("openssl", "x509", "-in", cert, "-pubkey", "-noout", "-out", pub).status).toBe(0)
      const bytes = fromHex(line.hex)
      const signed = bytes.subarray(0, bytes.length - 64)
      const sig = join(dir, `sig-${i}.der`)
      writeFileSync(sig, derSignature(bytes.subarray(bytes.length - 64)))
      const verify = (message: Buffer) => {
        const file = join(dir, `msg-${i}.bin`)
        writeFileSync(file, message)
        return tool(
          "openssl",
          ...["pkeyutl", "-verify", "-pubin", "-inkey", pub, "-rawin", "-digest", "sm3"],
          ...["-pkeyopt", DISTID, "-in", file, "-sigfile", sig],
        ).status
      }
      expect(verify(signed), `${line.signer} → ${line.receiver}`).toBe(0)
      const changed = Buffer.from(signed)
      changed[changed.length - 1]! ^= 0x01
      expect(verify(changed)).not.toBe(0)
    }
  })

  it("writes the first byte-level card's APDUs as a pcap that tshark decodes", () => {
    const pcaps = readdirSync(join(out, "traces")).filter((f) => !f.endsWith("-ota.pcap"))
    expect(pcaps).toHaveLength(1)
    const r = tool(
      "tshark",
      ...["-r", join(out, "traces", pcaps[0]!), "-d", "iso14443.subdissector,iso7816", "-T", "fields"],
      ...["-e", "iso7816.apdu.cla", "-e", "iso7816.apdu.ins", "-e", "iso7816.apdu.sw1"],
    )
    expect(r.status, r.stderr).toBe(0)
    const rows = r.stdout
      .trim()
      .split("\n")
      .map((row) => row.split("\t"))
    // Issuance alone is 23 exchanges: a command and a response frame each.
    expect(rows.length).toBeGreaterThanOrEqual(46)
    // tshark names INS for the ISO class only; GP's secure-messaging commands show as class 0x84.
    expect(rows.map((row) => row[0])).toContain("0x84")
    expect(rows.map((row) => row[1])).toContain("0xa4") // SELECT
    expect(rows.filter((row) => row[2] === "0x90").length).toBeGreaterThanOrEqual(23)
  })

  it("writes the same card's OTA packets as a pcap that tshark decodes on its bearer, none malformed", () => {
    const pcaps = readdirSync(join(out, "traces")).filter((f) => f.endsWith("-ota.pcap"))
    expect(pcaps).toHaveLength(1)
    const file = join(out, "traces", pcaps[0]!)
    const decode = (...args: string[]) => tool("tshark", "-r", file, "-d", "udp.port==9,cattp", ...args)
    const all = decode()
    expect(all.status, all.stderr).toBe(0)
    // The summary counts the packets; the card's bearer decodes with its own dissector.
    expect(summary.fidelity.otaPackets).toBeGreaterThan(0)
    const protocols = decode("-T", "fields", "-e", "frame.protocols").stdout
    expect(protocols).toMatch(/gsm_sms|cattp|http/)
    expect(decode("-Y", "_ws.malformed").stdout.trim()).toBe("")
  })

  it("--byte-level 2, --trace-cards -1 and --threads 0 exit 2 naming the flag", () => {
    const bad = cli("run", "scenarios/04-pilot-plan.json", "--byte-level", "2", "--out", join(dir, "x"))
    expect(bad.status).toBe(2)
    expect(bad.stderr).toContain("--byte-level")
    const trace = cli("run", "scenarios/04-pilot-plan.json", "--trace-cards", "-1", "--out", join(dir, "y"))
    expect(trace.status).toBe(2)
    expect(trace.stderr).toContain("--trace-cards")
    const threads = cli("run", "scenarios/04-pilot-plan.json", "--threads", "0", "--out", join(dir, "z"))
    expect(threads.status).toBe(2)
    expect(threads.stderr).toContain("--threads")
  })
})
