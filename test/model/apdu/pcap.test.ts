/**
 * Proves that the twin's APDU traces are real pcap files: the real tshark decodes the ISO 14443
 * framing (ISO-class headers and every status word) and the GSMTAP-SIM framing (CLA, INS, P1, P2
 * and SW of proprietary GlobalPlatform commands too), and the CRC_A matches ISO/IEC 14443-3 Annex B.
 */
import { spawnSync } from "node:child_process"
import { mkdtempSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { type ApduExchange, pcapFile } from "../../../model/apdu/pcap-file.ts"
import { gsmtapSimFraming, t0Transcript } from "../../../model/apdu/pcap-gsmtap-sim.ts"
import { crcA, iso14443Framing } from "../../../model/apdu/pcap-iso14443.ts"
import { hex } from "../../../model/bytes/hex.ts"

const tshark = (file: string, ...args: string[]): string[][] => {
  const result = spawnSync("tshark", ["-r", file, ...args], { encoding: "utf8" })
  if (result.error !== undefined)
    throw new Error(`tshark could not run (apt-get install -y tshark): ${result.error.message}`)
  expect(result.status, result.stderr).toBe(0)
  return result.stdout
    .trim()
    .split("\n")
    .map((line) => line.split("\t"))
}

const write = (bytes: Uint8Array): string => {
  const file = join(mkdtempSync(join(tmpdir(), "pcap-")), "trace.pcap")
  writeFileSync(file, bytes)
  return file
}

const EXCHANGES: ReadonlyArray<ApduExchange> = [
  {
    atUs: 1_000_000,
    command: hex("00A404000E325041592E5359532E444446303100"),
    response: hex("6F0A840E3250419000"),
  },
  {
    atUs: 1_500_000,
    command: hex("8050000008A1A2A3A4A5A6A7A800"),
    response: hex("00112233445566778899FF0212346A82"),
  },
  { atUs: 2_000_250, command: hex("84E2800003DF0102"), response: hex("6988") },
  { atUs: 3_000_000, command: hex("00B2010C00"), response: hex("6A83") },
]

describe("CRC_A", () => {
  it("matches the examples of ISO/IEC 14443-3 Annex B", () => {
    expect(crcA(hex("0000"))).toBe(0x1ea0)
    expect(crcA(hex("1234"))).toBe(0xcf26)
  })
})

describe("ISO 14443 pcap", () => {
  it("is decoded by tshark: ISO-class headers, the class of proprietary commands, every SW", () => {
    const file = write(pcapFile(iso14443Framing, EXCHANGES))
    const rows = tshark(
      file,
      ...["-d", "iso14443.subdissector,iso7816", "-T", "fields"],
      ...["-e", "frame.time_epoch", "-e", "iso7816.apdu.cla", "-e", "iso7816.apdu.ins"],
      ...[
        "-e",
        "iso7816.apdu.p1",
        "-e",
        "iso7816.apdu.p2",
        "-e",
        "iso7816.apdu.sw1",
        "-e",
        "iso7816.apdu.sw2",
      ],
    )
    expect(rows).toHaveLength(8)
    expect(rows[0]!.slice(1, 5)).toEqual(["0x00", "0xa4", "0x04", "0x00"])
    expect(rows[2]![1]).toBe("0x80")
    expect(rows[6]!.slice(1, 5)).toEqual(["0x00", "0xb2", "0x01", "0x0c"])
    const sws = rows.filter((_, i) => i % 2 === 1).map((r) => `${r[5]}${r[6]!.slice(2)}`)
    expect(sws).toEqual(["0x9000", "0x6a82", "0x6988", "0x6a83"])
    expect(Number.parseFloat(rows[4]![0]!)).toBeCloseTo(2.00025, 6)
  })
})

describe("GSMTAP-SIM pcap", () => {
  it("is decoded by tshark with CLA, INS, P1, P2 and SW for GlobalPlatform commands", () => {
    const file = write(pcapFile(gsmtapSimFraming, EXCHANGES))
    const rows = tshark(
      file,
      ...["-T", "fields", "-e", "gsm_sim.apdu.ins", "-e", "gsm_sim.apdu.p1", "-e", "gsm_sim.apdu.p2"],
      ...["-e", "gsm_sim.apdu.sw", "-e", "gsm_sim.apdu.cla.coding"],
    )
    expect(rows).toHaveLength(4)
    // GlobalPlatform commands (class 80/84): every header field and the SW.
    expect([rows[1], rows[2]].map((r) => r!.slice(0, 4))).toEqual([
      ["0x50", "0x00", "0x00", "0x6a82"],
      ["0xe2", "0x80", "0x00", "0x6988"],
    ])
    // ISO commands: gsm_sim decodes SELECT's and READ RECORD's P1/P2 into command-specific fields.
    expect([0, 3].map((i) => [rows[i]![0], rows[i]![3]])).toEqual([
      ["0xa4", "0x9000"],
      ["0xb2", "0x6a83"],
    ])
  })

  it("writes the T=0 view: P3 = Lc with data, Le without, no trailing Le", () => {
    expect(t0Transcript(hex("80E2800003DF010200"), hex("9000"))).toEqual(hex("80E2800003DF01029000"))
    expect(t0Transcript(hex("80CA9F7F00"), hex("0102039000"))).toEqual(hex("80CA9F7F000102039000"))
    expect(t0Transcript(hex("00700000"), hex("019000"))).toEqual(hex("0070000000019000"))
  })
})
