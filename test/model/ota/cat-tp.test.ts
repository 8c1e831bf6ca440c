// Proves the CAT-TP framing of BIP transfers (ETSI TS 102 127): PDUs carry the 18-byte header
// with the header and data lengths and a checksum that the real tshark's `cattp` dissector finds
// good on every PDU of a session (SYN, SYN+ACK, segmented data, ACK, RST) and bad on a PDU with a
// flipped bit; our decoder refuses that PDU too; an SDU larger than a PDU is split with SEG on all
// segments but the last and the data reassembles to the SDU.
import { spawnSync } from "node:child_process"
import { mkdtempSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { pcapGlobalHeader, pcapRecord } from "../../../model/apdu/pcap-file.ts"
import { concat } from "../../../model/bytes/bytes.ts"
import { unwrap } from "../../../model/bytes/result.ts"
import { CatTpFlag, catTpTransfer, decodeCatTpPdu } from "../../../model/ota/cat-tp.ts"

const ICCID = Uint8Array.of(0x98, 0x68, 0x00, 0x10, 0x21, 0x43, 0x65, 0x87, 0x09, 0xf1)
const SERVER_PORT = 9

/** Ethernet II + IPv4 + UDP around one payload (test-only framing, UDP checksum 0 per RFC 768). */
const udpFrame = (fromUicc: boolean, payload: Uint8Array): Uint8Array => {
  const out = new Uint8Array(42 + payload.length)
  const v = new DataView(out.buffer)
  v.setUint16(12, 0x0800)
  out.set([0x45, 0, 0, 0, 0, 0, 0, 0, 64, 17], 14)
  v.setUint16(16, 28 + payload.length)
  out.set(fromUicc ? [10, 0, 0, 2, 10, 0, 0, 1] : [10, 0, 0, 1, 10, 0, 0, 2], 26)
  let sum = 0
  for (let i = 14; i < 34; i += 2) sum += v.getUint16(i)
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16)
  v.setUint16(24, ~sum & 0xffff)
  v.setUint16(34, fromUicc ? 1024 : SERVER_PORT)
  v.setUint16(36, fromUicc ? SERVER_PORT : 1024)
  v.setUint16(38, 8 + payload.length)
  out.set(payload, 42)
  return out
}

const tshark = (file: string, ...args: string[]) =>
  spawnSync("tshark", ["-r", file, "-d", `udp.port==${SERVER_PORT},cattp`, ...args], { encoding: "utf8" })

const session = () => {
  const command = Uint8Array.from({ length: 2500 }, (_, i) => (i * 7) & 0xff)
  const por = Uint8Array.from({ length: 40 }, (_, i) => i)
  return catTpTransfer([command, command.subarray(0, 100)], [por, por], {
    maxPduBytes: 1024,
    maxSduBytes: 4096,
    iccid: ICCID,
  })
}

describe("CAT-TP PDUs", () => {
  it("decode in tshark with good checksums, and a flipped bit is a bad checksum there and here", () => {
    const { pdus, roundTrips } = session()
    expect(roundTrips).toBe(3)
    const bad = pdus[3]!.bytes.slice()
    bad[40] = bad[40]! ^ 0x01
    expect(decodeCatTpPdu(bad)).toEqual({ ok: false, error: "checksum" })
    const frames = [...pdus, { fromUicc: false, bytes: bad }]
    const file = join(mkdtempSync(join(tmpdir(), "cattp-")), "bip.pcap")
    writeFileSync(
      file,
      concat(
        pcapGlobalHeader(1),
        ...frames.map((p, i) => pcapRecord(i * 1000, udpFrame(p.fromUicc, p.bytes))),
      ),
    )
    const out = tshark(
      file,
      "-T",
      "fields",
      "-e",
      "cattp.flags",
      "-e",
      "cattp.checksum.status",
      "-e",
      "cattp.datalen",
    )
    expect(out.status, out.stderr).toBe(0)
    const rows = out.stdout
      .trim()
      .split("\n")
      .map((l) => l.split("\t"))
    expect(rows.length).toBe(frames.length)
    // Checksum status 1 is "Good", 0 "Bad" (Wireshark's proto_checksum_vals).
    expect(rows.slice(0, -1).every((r) => r[1] === "1")).toBe(true)
    expect(rows.at(-1)![1]).toBe("0")
    expect(rows.map((r) => Number(r[0]))).toEqual([
      0x80, 0xc0, 0x40, 0x44, 0x44, 0x40, 0x40, 0x40, 0x40, 0x10, 0x44,
    ])
    const malformed = spawnSync(
      "tshark",
      ["-r", file, "-d", `udp.port==${SERVER_PORT},cattp`, "-Y", "_ws.malformed"],
      {
        encoding: "utf8",
      },
    )
    expect(malformed.stdout.trim()).toBe("")
  })

  it("split an SDU over PDUs with SEG on all but the last, and the data gives the SDU back", () => {
    const { pdus } = session()
    const decoded = pdus.map((p) => unwrap(decodeCatTpPdu(p.bytes), "pdu"))
    const down = decoded.slice(3, 6)
    expect(down.map((d) => (d.flags & CatTpFlag.SEG) !== 0)).toEqual([true, true, false])
    const sdu = concat(...down.map((d) => d.data))
    expect(sdu.length).toBe(2500)
    expect(sdu[2499]).toBe((2499 * 7) & 0xff)
    for (const p of pdus) expect(p.bytes.length).toBeLessThanOrEqual(1024 + 15)
    // Sequence numbers rise by one per PDU on each side.
    const serverSeqs = decoded.filter((_, i) => !pdus[i]!.fromUicc).map((d) => d.seq)
    expect(serverSeqs).toEqual(serverSeqs.map((_, i) => i + 1))
  })
})
