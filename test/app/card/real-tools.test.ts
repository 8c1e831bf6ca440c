// Proves that tools nobody on the project wrote reach the twin's card through a real pcscd + vpcd:
// pcsc_scan reports the card's ATR, opensc-tool's SELECT PPSE gets the FCI ending 90 00, and an
// independent pyscard host (fixtures/gp_scp02_emv.py) opens an SCP02 session with the GP test
// keys, runs GET STATUS under C-MAC, then GPO, READ RECORD and GENERATE AC — whose ARQC the twin's
// issuer code verifies. Wrong keys fail the mutual authentication; a tampered ARQC fails the check.
// Reversed mode (vpcd connects to `card serve --listen`) is shown by pcsc_scan too.
import { mkdtempSync, readFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { cardKeys } from "../../../app/card/card-keys.ts"
import { hex, toHex } from "../../../model/bytes/hex.ts"
import { TDES_PBOC } from "../../../model/card/applets/pboc/algorithm-profile.ts"
import { EMBEDDED_SE, NFC_SD, NFC_SIM } from "../../../model/card/profile.ts"
import { nativeCrypto } from "../../../model/crypto/native-crypto.ts"
import { verifyArqc } from "../../../model/host/issuer/authorization.ts"
import { deriveIccMasterKeys } from "../../../model/host/issuer/issuer-keys.ts"
import {
  freePortPair,
  type Pcscd,
  READER,
  ROOT,
  run,
  type Served,
  startPcscd,
  startServe,
} from "./pcsc-stack.ts"

const SEED = 3
const PYTHON = "/usr/bin/python3"
const SCRIPT = join(ROOT, "test/app/card/fixtures/gp_scp02_emv.py")
const spaced = (bytes: Uint8Array) => toHex(bytes).replace(/(..)(?!$)/g, "$1 ")

let pcscd: Pcscd
let served: Served
const dir = mkdtempSync(join(tmpdir(), "pcsc-tools-"))

beforeAll(async () => {
  const port = await freePortPair()
  pcscd = await startPcscd(dir, "/dev/null", port)
  served = await startServe(dir, "serve", [
    "--keys",
    "test",
    "--seed",
    String(SEED),
    "--vpcd",
    `127.0.0.1:${port}`,
    "--pcap",
    join(dir, "card.pcap"),
    "--keys-out",
    join(dir, "keys.json"),
  ])
}, 180_000)

afterAll(async () => {
  await served?.stop()
  await pcscd?.stop()
}, 30_000)

describe("the twin's card behind pcscd + vpcd, seen by real tools", () => {
  afterAll(async () => {
    // Last in this block: the serve's pcap holds every exchange above, and tshark decodes it: one
    // response with a status word per exchange in the card's log, SELECTs and READ RECORDs by name
    // (tshark names the INS of interindustry commands only).
    const fields = await run("tshark", [
      "-r",
      join(dir, "card.pcap"),
      "-d",
      "iso14443.subdissector,iso7816",
      "-T",
      "fields",
      "-e",
      "iso7816.apdu.ins",
      "-e",
      "iso7816.apdu.sw1",
    ])
    expect(fields.code, fields.stderr).toBe(0)
    const rows = fields.stdout
      .split("\n")
      .filter((l) => l.trim() !== "")
      .map((l) => l.split("\t"))
    const exchanges = readFileSync(served.log, "utf8").match(/^apdu #\d+ /gm)?.length ?? 0
    expect(exchanges).toBeGreaterThan(20)
    expect(rows.filter(([, sw1]) => sw1 !== undefined && sw1 !== "").length).toBe(exchanges)
    const ins = new Set(rows.map(([i]) => i))
    for (const expected of ["0xa4", "0xb2"]) expect(ins).toContain(expected)
  }, 60_000)

  it("pcsc_scan reports the NFC-SIM's ATR in the first reader", async () => {
    const scan = await run("pcsc_scan", ["-n", "-t", "3"], pcscd.env)
    expect(scan.stdout).toContain(READER)
    expect(scan.stdout).toContain(`ATR: ${spaced(NFC_SIM.atr)}`)
  }, 60_000)

  it("opensc-tool's SELECT PPSE gets the FCI (6F, DF name 2PAY.SYS.DDF01, the PBOC AID) and 90 00", async () => {
    const apdu = "00:A4:04:00:0E:32:50:41:59:2E:53:59:53:2E:44:44:46:30:31:00"
    const sent = await run("opensc-tool", ["--reader", "0", "--send-apdu", apdu], pcscd.env)
    expect(sent.code, sent.stderr).toBe(0)
    expect(sent.stdout).toContain("Received (SW1=0x90, SW2=0x00)")
    const dump = sent.stdout.split("Received")[1]!
    const bytes = [...dump.matchAll(/^((?:[0-9A-F]{2} )+)/gm)].map((m) => m[1]!.replaceAll(" ", "")).join("")
    expect(bytes.startsWith("6F30840E325041592E5359532E4444463031")).toBe(true)
    expect(bytes).toContain("4F08A000000333010101")
  }, 60_000)

  it("a pyscard host opens SCP02 with 40..4F, runs GET STATUS, GPO, READ RECORD, GENERATE AC; the ARQC verifies", async () => {
    const ran = await run(PYTHON, [SCRIPT, READER], pcscd.env)
    expect(ran.code, ran.stderr).toBe(0)
    const r = JSON.parse(ran.stdout)
    expect(r).toMatchObject({
      select_isd_sw: 0x9000,
      kvn: 0xff,
      scp: 2,
      card_cryptogram_ok: true,
      external_authenticate_sw: 0x9000,
      get_status_isd_sw: 0x9000,
      get_status_apps_sw: 0x9000,
      isd_aid: toHex(NFC_SIM.isdAid),
      select_ppse_sw: 0x9000,
      gpo_sw: 0x9000,
      generate_ac_sw: 0x9000,
      cid: "80",
    })
    expect(r.applications).toContain("A000000333010101")
    expect(r.read_record_sws.length).toBeGreaterThan(0)
    expect(r.read_record_sws.every((sw: string) => sw === "9000")).toBe(true)
    // The issuer side: the twin's issuer code, with the seed's master keys, recomputes the ARQC
    // from the terminal data the Python host chose.
    // The issuer master keys as `--keys-out` wrote them (what a user's own host would load).
    const written = JSON.parse(readFileSync(join(dir, "keys.json"), "utf8"))
    expect(written.isd).toMatchObject({ kvn: 0xff, enc: "404142434445464748494A4B4C4D4E4F" })
    const imks = {
      imkAc: hex(written.issuerMasterKeys.ac),
      imkSmi: new Uint8Array(16),
      imkSmc: new Uint8Array(16),
    }
    expect(imks.imkAc).toEqual(cardKeys(nativeCrypto, NFC_SIM, SEED, "test").imks.imkAc)
    const mkAc = deriveIccMasterKeys(nativeCrypto, TDES_PBOC, imks, { pan: r.pan, psn: r.psn }).mkAc
    const terminal = new Map(
      Object.entries(r.terminal as Record<string, string>).map(([t, v]) => [Number.parseInt(t, 16), hex(v)]),
    )
    const request = { terminal, aip: hex(r.aip), atc: r.atc, iad: hex(r.iad), arqc: hex(r.arqc) }
    expect(verifyArqc(nativeCrypto, TDES_PBOC, mkAc, request).ok).toBe(true)
    const tampered = hex(r.arqc)
    tampered[0] = tampered[0]! ^ 0x01
    expect(verifyArqc(nativeCrypto, TDES_PBOC, mkAc, { ...request, arqc: tampered }).ok).toBe(false)
  }, 90_000)

  it("with other keys than the card's the pyscard host's mutual authentication fails", async () => {
    const ran = await run(PYTHON, [SCRIPT, READER, "404142434445464748494A4B4C4D4E40"], pcscd.env)
    expect(ran.code, ran.stderr).toBe(0)
    const r = JSON.parse(ran.stdout)
    expect(r.card_cryptogram_ok).toBe(false)
    expect(r.external_authenticate_sw).not.toBe(0x9000)
    expect(r.get_status_isd_sw).not.toBe(0x9000)
  }, 90_000)
})

// vpcd 3.3 opens two slots, PORT and PORT+1, and in reversed mode aborts (fortify: "bit out of range
// 0 - FD_SETSIZE on fd_set") when nothing listens on the second; so two cards serve, one per slot.
describe("reversed mode: vpcd connects to `card serve --listen`", () => {
  it("pcsc_scan reports the eSE's ATR in slot 0 and the NFC-SD's in slot 1", async () => {
    const rdir = mkdtempSync(join(tmpdir(), "pcsc-reversed-"))
    const port = await freePortPair()
    const cards = await Promise.all([
      startServe(rdir, "ese", ["--profile", "eSE", "--listen", "--vpcd", `127.0.0.1:${port}`]),
      startServe(rdir, "sd", ["--profile", "NFC-SD", "--listen", "--vpcd", `127.0.0.1:${port + 1}`]),
    ])
    let reversed: Pcscd | undefined
    try {
      reversed = await startPcscd(rdir, "127.0.0.1", port)
      const scan = await run("pcsc_scan", ["-n", "-t", "3"], reversed.env)
      expect(scan.stdout).toContain(`ATR: ${spaced(EMBEDDED_SE.atr)}`)
      expect(scan.stdout).toContain(`ATR: ${spaced(NFC_SD.atr)}`)
    } finally {
      await reversed?.stop()
      for (const card of cards) await card.stop()
    }
  }, 180_000)
})
