// Proves the plaintext observer of the GP session only observes: a story that keeps each
// secure-channel command in plaintext sends byte-identical exchanges, and what it keeps is the
// command before wrapping (same header, data that decodes as DGIs for STORE DATA), one per wrapped
// exchange of the ISD and SSD sessions.
import { describe, expect, it } from "vitest"
import { toHex } from "../../../../model/bytes/hex.ts"
import { nativeCrypto } from "../../../../model/crypto/native-crypto.ts"
import { runCardStory } from "../../../../model/host/card-story/card-story.ts"
import { decodeDgi } from "../../../../model/tlv/dgi.ts"

const story = (seed: number, recordPlain: boolean) =>
  runCardStory({ seed, crypto: nativeCrypto, until: "personalize", recordPlain })

describe("plaintext commands of a card story", () => {
  it("leaves every exchange byte-identical", () => {
    for (const seed of [1, 7, 123]) {
      const plain = story(seed, true)
      const wire = story(seed, false)
      expect(plain.ok).toBe(true)
      expect(plain.exchanges.map((e) => toHex(e.command) + toHex(e.response))).toEqual(
        wire.exchanges.map((e) => toHex(e.command) + toHex(e.response)),
      )
      expect(wire.context.plainCommands).toBeNull()
    }
  })

  it("keeps one plaintext per wrapped command, with the wire command's INS and the DGIs of STORE DATA", () => {
    const s = story(5, true)
    const kept = s.context.plainCommands!
    expect(kept.size).toBeGreaterThan(10)
    let storeData = 0
    for (const [index, plain] of kept) {
      const wire = s.exchanges[index]!.command
      // C-MAC sets bit 04 of the CLA; the INS, P1 and P2 are the host's own.
      expect(wire[1]).toBe(plain[1])
      expect(toHex(wire.subarray(2, 4))).toBe(toHex(plain.subarray(2, 4)))
      expect(wire.length).toBeGreaterThan(plain.length)
      if (plain[1] === 0xe2) {
        storeData++
        const dgis = decodeDgi(plain.subarray(5, 5 + plain[4]!))
        expect(dgis.ok).toBe(true)
      }
    }
    expect(storeData).toBeGreaterThanOrEqual(3)
    // The SELECTs and INITIALIZE UPDATEs travel outside the channel: no plaintext is kept for them.
    const unwrapped = s.exchanges.filter((e) => e.command[1] === 0xa4 || e.command[1] === 0x50)
    expect(unwrapped.length).toBeGreaterThan(0)
    for (const [index] of kept) expect([0xa4, 0x50]).not.toContain(s.exchanges[index]!.command[1])
  })
})
