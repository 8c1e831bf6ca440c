// Proves visualizeTlv renders real GlobalPlatform GET STATUS responses as an indented tree with
// tag, length, value and name, that custom names override the built-in table, and that a real
// response cut mid-entry is refused with the offset of the missing value.
import { describe, expect, it } from "vitest"
import { decodeResponse } from "../../../model/apdu/response.ts"
import { hex } from "../../../model/bytes/hex.ts"
import { decodeTlv } from "../../../model/tlv/ber-tlv.ts"
import { tagName } from "../../../model/tlv/tag-names.ts"
import { visualizeTlv } from "../../../model/tlv/visualize.ts"

/**
 * GET STATUS (load files, P2 02) response with its SW, from kaoh/globalplatform
 * `globalplatform/src/scp02Test.c` (get_status_mac_only), the trace PROTOCOLS.md §2.3 names.
 */
const SCP02_TEST_GET_STATUS =
  "E30D4F07A00000000353509F700101E30B4F05A0000000049F700101E30B4F05325041592E9F700101" +
  "E30B4F05F0000711809F700101E30C4F06A000000421209F700101E30D4F07D0D1D2D3D4D5019F7001019000"

/**
 * GET STATUS (applications, P2 02) response from kaoh/globalplatform
 * `globalplatform/src/statusTest.c` (app_status): full GP 2.2 registry entries (C5 privileges, C4
 * load file, CC associated SD, EA application data), cut off inside the fifth entry, then SW 6310.
 */
const STATUS_TEST_GET_STATUS =
  "E33A4F10A0000005591010FFFFFFFF89000002009F70010FC50382FC80C40BD276000005AAFFCAFE0001CC10A0000005591010FFFFFFFF8900000200" +
  "E3304F08D276000005AA3F019F700107C50104C40BD276000005AAFFCAFE0002CC10A0000005591010FFFFFFFF8900000200" +
  "E3384F10A0000000871001F310FFFF89FFFFFF019F700107C50100C40BD276000005AAFFCAFE0002CC10A0000005591010FFFFFFFF8900000200" +
  "E3444F10A0000005591010FFFFFFFF89000001009F700107C50100C410D2760001180100FF49102589C0028000CC10A0000005591010FFFFFFFF8900000200EA058003018000" +
  "E3304F09A00000015141434C009F7001076310"

const decodeData = (responseHex: string) => {
  const r = decodeResponse(hex(responseHex))
  if (!r.ok) throw new Error(r.error.message)
  return r.value
}

describe("visualizeTlv", () => {
  it("renders the scp02Test GET STATUS response as a tree", () => {
    const { data, sw } = decodeData(SCP02_TEST_GET_STATUS)
    expect(sw).toBe(0x9000)
    const decoded = decodeTlv(data)
    expect(decoded.ok).toBe(true)
    if (!decoded.ok) return
    expect(visualizeTlv(decoded.value)).toBe(
      [
        "E3 (13) — GP registry entry",
        "  4F (7) A0000000035350 — AID",
        "  9F70 (1) 01 — life cycle state",
        "E3 (11) — GP registry entry",
        "  4F (5) A000000004 — AID",
        "  9F70 (1) 01 — life cycle state",
        "E3 (11) — GP registry entry",
        "  4F (5) 325041592E — AID",
        "  9F70 (1) 01 — life cycle state",
        "E3 (11) — GP registry entry",
        "  4F (5) F000071180 — AID",
        "  9F70 (1) 01 — life cycle state",
        "E3 (12) — GP registry entry",
        "  4F (6) A00000042120 — AID",
        "  9F70 (1) 01 — life cycle state",
        "E3 (13) — GP registry entry",
        "  4F (7) D0D1D2D3D4D501 — AID",
        "  9F70 (1) 01 — life cycle state",
      ].join("\n"),
    )
  })

  it("renders full GP 2.2 registry entries, nested application data included", () => {
    const { data, sw } = decodeData(STATUS_TEST_GET_STATUS)
    expect(sw).toBe(0x6310)
    // The first four entries end at byte 238; the fifth is cut off by the card's buffer.
    const decoded = decodeTlv(data.subarray(0, 238))
    expect(decoded.ok).toBe(true)
    if (!decoded.ok) return
    const lines = visualizeTlv(decoded.value).split("\n")
    expect(lines.slice(0, 6)).toEqual([
      "E3 (58) — GP registry entry",
      "  4F (16) A0000005591010FFFFFFFF8900000200 — AID",
      "  9F70 (1) 0F — life cycle state",
      "  C5 (3) 82FC80 — privileges",
      "  C4 (11) D276000005AAFFCAFE0001 — executable load file AID / load file data block",
      "  CC (16) A0000005591010FFFFFFFF8900000200 — associated security domain AID",
    ])
    // Names come from one flat table, so the context-specific 80 inside EA gets EMV's name for 80.
    expect(lines.slice(-2)).toEqual([
      "  EA (5) — application data (registry)",
      "    80 (3) 018000 — response message template format 1",
    ])
  })

  it("refuses the cut-off fifth entry with the offset of its value", () => {
    const { data } = decodeData(STATUS_TEST_GET_STATUS)
    const decoded = decodeTlv(data)
    expect(decoded.ok ? undefined : [decoded.error.code, decoded.error.offset]).toEqual([
      "truncated_value",
      240,
    ])
  })

  it("lets given names override the table and elides long values", () => {
    const decoded = decodeTlv(hex(`DF01024142C1820100${"AB".repeat(256)}`))
    expect(decoded.ok).toBe(true)
    if (!decoded.ok) return
    const text = visualizeTlv(decoded.value, new Map([[0xdf01, "twin field"]]))
    const [first, second] = text.split("\n")
    expect(first).toBe("DF01 (2) 4142 — twin field")
    expect(second).toBe(`C1 (256) ${"AB".repeat(128)}… (+128 bytes)`)
    expect(tagName(0xc1)).toBeUndefined()
  })

  it("names the common EMV, PBOC and GP tags", () => {
    const tags = [
      0x9f02, 0xbf0c, 0x9f66, 0x9f79, 0xe3, 0x4f, 0x9f70, 0xc5, 0xcc, 0xc4, 0xcf, 0xe0, 0x66, 0x9f7f,
    ]
    expect(tags.filter((tag) => tagName(tag) === undefined)).toEqual([])
  })
})
