// Proves `tsm-twin card-demo --bearer sms-pp`: the OTA session's ENVELOPE (SMS-PP DOWNLOAD) frames
// decode in the real tshark through gsm_sim, etsi_cat and gsm_sms with no malformed packet and show
// the UDH information element 70 in every frame; the replayed packet's PoR says 02; a bad --bearer
// is exit 2 with the flag named.
import { spawnSync } from "node:child_process"
import { mkdtempSync } from "node:fs"
import { tmpdir } from "node:os"
import { join, resolve } from "node:path"
import { describe, expect, it } from "vitest"

const ROOT = resolve(import.meta.dirname, "../../..")
const cli = (...args: string[]) =>
  spawnSync(process.execPath, [join(ROOT, "bin/tsm-twin.mjs"), ...args], { encoding: "utf8", cwd: ROOT })
const tshark = (...args: string[]) => spawnSync("tshark", args, { encoding: "utf8" })

describe("tsm-twin card-demo --bearer sms-pp", () => {
  it("writes ENVELOPE frames that tshark decodes down to the SMS and its UDH IE 70, none malformed", () => {
    const file = join(mkdtempSync(join(tmpdir(), "ota-")), "ota.pcap")
    const run = cli("card-demo", "--pcap", file, "--bearer", "sms-pp")
    expect(run.status, run.stderr).toBe(0)
    expect(run.stdout).toMatch(/replay of .* ok\s+PoR 02/)
    const fields = tshark(
      "-r",
      file,
      "-T",
      "fields",
      "-e",
      "frame.protocols",
      "-e",
      "gsm_sim.apdu.ins",
      "-e",
      "gsm_sms.ie_identifier",
    )
    expect(fields.status, fields.stderr).toBe(0)
    const rows = fields.stdout
      .trim()
      .split("\n")
      .map((l) => l.split("\t"))
    expect(rows.length).toBe(3)
    for (const [protocols, ins, iei] of rows) {
      expect(protocols).toMatch(/gsm_sim:etsi_cat:gsm_sms/)
      expect(ins).toBe("0xc2")
      expect(iei).toBe("0x70")
    }
    const malformed = tshark("-r", file, "-Y", "_ws.malformed || _ws.expert.severity >= error")
    expect(malformed.status, malformed.stderr).toBe(0)
    expect(malformed.stdout.trim()).toBe("")
  })

  it("refuses an unknown bearer with exit 2, naming the flag", () => {
    const run = cli("card-demo", "--pcap", join(tmpdir(), "x.pcap"), "--bearer", "carrier-pigeon")
    expect(run.status).toBe(2)
    expect(run.stderr).toContain("at --bearer: must be one of none, sms-pp")
  })
})
