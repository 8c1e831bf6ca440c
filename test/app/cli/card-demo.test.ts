// Proves `tsm-twin card-demo` end to end as a user runs it: the subprocess prints every step and
// writes traces that the real tshark decodes — with GSMTAP-SIM, the CLA/INS/P1/P2 and SW of every
// card-management exchange of the personalization; with ISO 14443, SELECT headers and every SW —
// equal to the exchanges the story recorded (by default with RSA fDDA), and the fDDA steps: the GPO
// answer carrying 9F4B and READ RECORD of the issuer (90) and ICC (9F46) certificates; bad flags
// exit 2 naming the flag. Issue 16's steps too: the PPSE with two entries (bank and 贵州通 transit),
// an online-PIN payment above the reader's CVM limit, and a transit fare at a bus validator.
import { spawnSync } from "node:child_process"
import { mkdtempSync } from "node:fs"
import { tmpdir } from "node:os"
import { join, resolve } from "node:path"
import { describe, expect, it } from "vitest"
import { toHex } from "../../../model/bytes/hex.ts"
import { nativeCrypto } from "../../../model/crypto/native-crypto.ts"
import { personalizationEnd, runCardStory, STORY_STEPS } from "../../../model/host/card-story/card-story.ts"

const ROOT = resolve(import.meta.dirname, "../../..")
const SEED = 7
const story = runCardStory({ seed: SEED, crypto: nativeCrypto, oda: "rsa" })

const cli = (...args: string[]) =>
  spawnSync(process.execPath, [join(ROOT, "bin/tsm-twin.mjs"), ...args], { encoding: "utf8", cwd: ROOT })

const tshark = (file: string, args: ReadonlyArray<string>): string[][] => {
  const result = spawnSync("tshark", ["-r", file, ...args], { encoding: "utf8" })
  if (result.error !== undefined)
    throw new Error(`tshark could not run (apt-get install -y tshark): ${result.error.message}`)
  expect(result.status, result.stderr).toBe(0)
  return result.stdout
    .trim()
    .split("\n")
    .map((line) => line.split("\t"))
}

const byte = (field: string | undefined): number | null =>
  field === undefined || field === "" ? null : Number.parseInt(field, 16)
const swOf = (r: Uint8Array) => (r[r.length - 2]! << 8) | r[r.length - 1]!

/**
 * One CLI run per trace format, shared by the tests that read it: the demo is a pure function of
 * its seed, so a second run of the same command would write the same trace and print the same
 * steps (each run is a subprocess with the whole CLI to load, seconds each).
 */
const demos = new Map<string, { readonly file: string; readonly stdout: string }>()
const demo = (format: string) => {
  const done = demos.get(format)
  if (done !== undefined) return done
  const file = join(mkdtempSync(join(tmpdir(), "card-demo-")), `card.${format}.pcap`)
  const run = cli("card-demo", "--pcap", file, "--format", format, "--seed", String(SEED))
  expect(run.status, run.stderr).toBe(0)
  demos.set(format, { file, stdout: run.stdout })
  return demos.get(format)!
}

describe("tsm-twin card-demo", () => {
  it("prints every step with its outcome, the trace path and a tshark command", () => {
    const { file, stdout } = demo("gsmtap-sim")
    for (const step of STORY_STEPS) {
      const title = step.title.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")
      expect(stdout).toMatch(new RegExp(`${title}\\s+ok`))
    }
    expect(stdout).toContain(file)
    expect(stdout).toContain(`tshark -r ${file}`)
    expect(stdout).toContain(`${story.exchanges.length} exchanges`)
  })

  it("writes a GSMTAP-SIM trace whose personalization tshark decodes header by header", () => {
    const { file } = demo("gsmtap-sim")
    const fields = ["cla.coding", "cla.secure_messaging_ind", "cla.log_chan", "ins", "p1", "p2", "sw"]
    const rows = tshark(file, [
      "-T",
      "fields",
      ...fields.flatMap((f) => ["-e", `gsm_sim.apdu.${f}`]),
      "-e",
      "gsm_sim.aid",
    ])
    expect(rows).toHaveLength(story.exchanges.length)
    const end = personalizationEnd(story)
    expect(end).toBeGreaterThan(20)
    story.exchanges.forEach(({ command, response }, i) => {
      const [coding, sm, channel, ins, p1, p2, sw, aid] = rows[i]!
      // Every exchange: the instruction and the status word.
      expect([byte(ins), byte(sw)]).toEqual([command[1], swOf(response)])
      if (i >= end) return
      // Personalization: the whole class byte, and P1/P2 — which gsm_sim turns into the AID for SELECT.
      expect((byte(coding)! << 4) | (byte(sm)! << 2) | byte(channel)!).toBe(command[0])
      if (command[1] === 0xa4) expect(aid).toBe(toHex(command.subarray(5, 5 + command[4]!)).toLowerCase())
      else expect([byte(p1), byte(p2)]).toEqual([command[2], command[3]])
    })
  })

  it("writes an ISO 14443 trace with SELECT headers and every status word", () => {
    const { file } = demo("iso14443")
    const rows = tshark(file, [
      ...["-d", "iso14443.subdissector,iso7816", "-T", "fields"],
      ...["cla", "ins", "p1", "p2", "sw1", "sw2"].flatMap((f) => ["-e", `iso7816.apdu.${f}`]),
    ])
    expect(rows).toHaveLength(2 * story.exchanges.length)
    story.exchanges.forEach(({ command, response }, i) => {
      const [cla, ins, p1, p2] = rows[2 * i]!
      expect(byte(cla)).toBe(command[0])
      if (command[0] === 0x00 && command[1] === 0xa4)
        expect([ins, p1, p2].map(byte)).toEqual([...command.subarray(1, 4)])
      const [, , , , sw1, sw2] = rows[2 * i + 1]!
      expect((byte(sw1)! << 8) | byte(sw2)!).toBe(swOf(response))
    })
    expect(story.exchanges.filter((e) => e.command[1] === 0xa4).length).toBeGreaterThan(10)
  })

  it("shows the fDDA steps in the ISO 14443 trace: 9F4B in the GPO answer, 90 and 9F46 read", () => {
    const { file } = demo("iso14443")
    const rows = tshark(file, [
      ...["-d", "iso14443.subdissector,iso7816", "-T", "fields"],
      ...["ins", "p1", "p2", "body"].flatMap((f) => ["-e", `iso7816.apdu.${f}`]),
    ])
    const responseTo = (p: (row: string[]) => boolean) =>
      rows.flatMap((row, i) => (i % 2 === 0 && p(row) ? [rows[i + 1]![3] ?? ""] : []))
    // READ RECORD (B2) of SFI 2 (P2 = 14): record 1 holds 8F and 90, record 2 holds 9F46.
    const sfi2 = (record: string) =>
      responseTo(([ins, p1, p2]) => ins === "0xb2" && p1 === record && p2 === "0x14")
    expect(sfi2("0x01")[0]).toMatch(/^7081..8f0110908180/)
    expect(sfi2("0x02")[0]).toMatch(/^7081..9f468180/)
    // The GPO (80 A8: tshark names no INS for class 80, so look for the 77 template) carries 9F4B.
    const gpoAnswers = rows.filter((row, i) => i % 2 === 1 && (row[3] ?? "").startsWith("7781"))
    expect(gpoAnswers.length).toBeGreaterThan(0)
    expect(gpoAnswers[0]![3]).toContain("9f4b60")
  })

  it("shows the PPSE's two entries, an online-PIN payment above the CVM limit and a transit fare, decoded by tshark", () => {
    const { file, stdout } = demo("iso14443")
    const rows = tshark(file, [
      ...["-d", "iso14443.subdissector,iso7816", "-T", "fields"],
      ...["-e", "iso7816.apdu.body", "-e", "iso14443.inf"],
    ])
    // Pairs of (command INF, response body): tshark gives the whole command APDU as the I-block's
    // INF (it names no INS for the proprietary class 80) and the response data as the APDU body.
    const pairs = rows.flatMap((row, i) =>
      i % 2 === 0 ? [[row[1] ?? "", rows[i + 1]?.[0] ?? ""] as const] : [],
    )
    const ppse = pairs.filter(([c]) => c.startsWith("00a404000e325041592e5359532e4444463031"))
    // After the transit issuance the PPSE lists both applications, bank first (87 01), transit second (87 02).
    expect(ppse.at(-1)![1]).toMatch(
      new RegExp(
        "bf0c..61..4f08a000000333010101500a50424f43204445424954870101" +
          "61..4f08a000000333010106500b4755495a484f55544f4e47870102",
      ),
    )
    const gpos = pairs.filter(([c]) => c.startsWith("80a80000"))
    // PDOL data: 9F66 TTQ ‖ 9F02 amount ‖ …; the GPO command is 80 A8 00 00 Lc 83 L then the data.
    const ttqAndAmount = ([c]: readonly [string, string]) => [c.slice(14, 22), c.slice(22, 34)]
    // Online PIN: TTQ byte 2 = C0 (online cryptogram + CVM required) for 450.00 yuan; the card answers an ARQC.
    const pin = gpos.filter((g) => ttqAndAmount(g)[1] === "000000045000")
    expect(pin.map(ttqAndAmount)).toEqual([["20c00000", "000000045000"]])
    expect(pin[0]![1]).toMatch(/^77.*9f270180/)
    expect(stdout).toMatch(
      /qPBOC purchase above the CVM limit, online PIN\s+ok[^\n]*\n[^\n]*online PIN \(ISO 9564-0, TPK → ZPK\), issuer PIN check ok, TVR 0000040000/,
    )
    // Transit: SELECT of the transit AID, then an offline-only GPO (TTQ 28) for the 2-yuan fare, answered TC with the new balance.
    expect(pairs.some(([c]) => c === "00a4040008a00000033301010600")).toBe(true)
    const fare = gpos.filter((g) => ttqAndAmount(g)[1] === "000000000200")
    expect(fare.map(ttqAndAmount)).toEqual([["28000000", "000000000200"]])
    expect(fare[0]![1]).toMatch(/^77.*9f270140.*9f5d06000000004800.*9f4b/)
    expect(stdout).toMatch(
      /transit fare on a bus validator, batch, TC\s+ok[^\n]*\n[^\n]*fare 200 fen on bus 2 paid offline from GUIZHOUTONG/,
    )
  })

  it("refuses a bad --format, an unknown --oda and an unwritable --pcap with exit code 2, naming the flag", () => {
    const format = cli("card-demo", "--pcap", join(tmpdir(), "x.pcap"), "--format", "pcapng")
    expect(format.status).toBe(2)
    expect(format.stderr).toMatch(/at --format: must be one of iso14443, gsmtap-sim/)
    const oda = cli("card-demo", "--pcap", join(tmpdir(), "x.pcap"), "--oda", "ecc")
    expect(oda.status).toBe(2)
    expect(oda.stderr).toMatch(/at --oda: must be one of rsa, sm2, none, not "ecc"/)
    const path = cli("card-demo", "--pcap", join(tmpdir(), "no-such-dir", "deeper", "x.pcap"))
    expect(path.status).toBe(2)
    expect(path.stderr).toMatch(/at --pcap: ".*" is not writable/)
  })
})
