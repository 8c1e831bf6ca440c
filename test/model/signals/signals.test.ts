// Proves the viewer's signal schemas and helpers: a phase target passes only when reached by its
// deadline and never flips back, APDU views decode TLV data fields with the project's own codec
// (and only when the whole field is TLV), and views of a real card story satisfy the FlowStep schema.

import { Schema } from "effect"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { hex, toHex } from "../../../model/bytes/hex.ts"
import { nativeCrypto } from "../../../model/crypto/native-crypto.ts"
import { runCardStory } from "../../../model/host/card-story/card-story.ts"
import { apduView, tlvTree } from "../../../model/signals/apdu-view.ts"
import { ApduView } from "../../../model/signals/flow.ts"
import { nextTargetStatus, type TargetStatus } from "../../../model/signals/kpi.ts"
import { constructed, encodeTlv, tlv } from "../../../model/tlv/ber-tlv.ts"

describe("nextTargetStatus", () => {
  it("passes iff the cumulative value reaches the target by the deadline, and stays decided", () => {
    fc.assert(
      fc.property(
        fc.array(fc.nat(1000), { minLength: 1, maxLength: 40 }),
        fc.nat(2000),
        fc.nat(40),
        (increments, target, deadline) => {
          let value = 0
          let status: TargetStatus = "pending"
          let reachedBy: number | null = null
          increments.forEach((inc, t) => {
            value += inc
            if (reachedBy === null && value >= target) reachedBy = t
            status = nextTargetStatus(status, value, target, t, deadline)
          })
          const last = increments.length - 1
          const expected =
            reachedBy !== null && reachedBy <= deadline ? "pass" : last >= deadline ? "fail" : "pending"
          expect(status).toBe(expected)
        },
      ),
      { numRuns: 500 },
    )
  })
})

describe("apduView", () => {
  it("decodes a response's TLV data field into named nodes", () => {
    const fci = encodeTlv(
      constructed(0x6f, [tlv(0x84, hex("A0000003330101")), constructed(0xa5, [tlv(0x50, hex("50424F43"))])]),
    )
    const view = apduView(hex("00A4040007A0000003330101"), Uint8Array.of(...fci, 0x90, 0x00))
    expect(view.commandName).toBe("SELECT")
    expect(view.sw).toBe("9000")
    expect(view.responseTlv?.[0]?.tag).toBe("6F")
    expect(view.responseTlv?.[0]?.children?.[0]).toEqual({
      tag: "84",
      length: 7,
      name: "DF name",
      value: "A0000003330101",
    })
    expect(view.response).toBe(`${toHex(fci)}9000`)
  })

  it("shows no tree for data that is not wholly TLV, and never throws on random bytes", () => {
    expect(tlvTree(hex("6F05840301"))).toBeUndefined()
    expect(tlvTree(new Uint8Array(0))).toBeUndefined()
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.uint8Array({ maxLength: 300 }), (c, r) => {
        const view = apduView(c, r)
        expect(Schema.is(ApduView)(view)).toBe(true)
      }),
      { numRuns: 1000 },
    )
  })

  it("views every exchange of a real card story within the schema", () => {
    const story = runCardStory({ seed: 11, crypto: nativeCrypto, until: "online-purchase" })
    const views = story.exchanges.map((e) => apduView(e.command, e.response))
    for (const v of views) expect(Schema.is(ApduView)(v)).toBe(true)
    expect(views.filter((v) => v.responseTlv !== undefined).length).toBeGreaterThan(5)
    expect(views.map((v) => v.commandName)).toContain("STORE DATA")
  })
})
