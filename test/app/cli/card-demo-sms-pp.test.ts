// Proves `tsm-twin card-demo --bearer sms-pp`: the OTA session's ENVELOPE (SMS-PP DOWNLOAD) frames
// decode in the real tshark through gsm_sim, etsi_cat and gsm_sms with no malformed packet and show
// the UDH information element 70 (CPI) in every single-SMS packet and in the first segment of the
// concatenated one, whose segments carry IE 00 and which tshark reassembles into the whole
// command packet; the replayed packet's PoR says 02; a bad --bearer is exit 2 with the flag named.
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
      "-e",
      "gsm_sms.udh.mm.msg_part",
      "-e",
      "gsm_sms.reassembled.length",
    )
    expect(fields.status, fields.stderr).toBe(0)
    const rows = fields.stdout
      .trim()
      .split("\n")
      .map((l) => l.split("\t"))
    const packetBytes = [...run.stdout.matchAll(/(\d+)-byte packet in (\d+) SMS/g)].map((m) => [
      Number(m[1]),
      Number(m[2]),
    ])
    expect(packetBytes.map(([, sms]) => sms)).toEqual([1, 1, 5, 1])
    expect(rows.length).toBe(8)
    for (const [protocols, ins] of rows) {
      expect(protocols).toMatch(/gsm_sim:etsi_cat:gsm_sms/)
      expect(ins).toBe("0xc2")
    }
    const ieis = rows.map((r) => r[2])
    expect(ieis).toEqual(["0x70", "0x70", "0x00,0x70", "0x00", "0x00", "0x00", "0x00", "0x70"])
    expect(rows.slice(2, 7).map((r) => r[3])).toEqual(["1", "2", "3", "4", "5"])
    // gsm_sms reassembles the five segments into the whole command packet, in the last one.
    expect(rows[6]![4]).toBe(String(packetBytes[2]![0]))
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
