// Proves the card story runs one card's life end to end on every SE profile and both PBOC
// algorithm profiles, is a pure function of its seed, stamps exchanges by the documented latency
// model, and leaves a personalized card image within the 1 KiB budget.
import { describe, expect, it } from "vitest"
import { SM4_PROFILE, TDES_PBOC } from "../../../../model/card/applets/pboc/algorithm-profile.ts"
import { EMBEDDED_SE, NFC_SD, NFC_SIM, NFC_SIM_SM4 } from "../../../../model/card/profile.ts"
import { nativeCrypto } from "../../../../model/crypto/native-crypto.ts"
import { referenceCrypto } from "../../../../model/crypto/reference-crypto.ts"
import {
  personalizationEnd,
  runCardStory,
  STORY_STEPS,
} from "../../../../model/host/card-story/card-story.ts"
import { CARD_LATENCY, STORY_EPOCH_US } from "../../../../model/host/card-story/recording-card.ts"

const sw = (r: Uint8Array) => (r[r.length - 2]! << 8) | r[r.length - 1]!

describe.each([
  [NFC_SIM, TDES_PBOC],
  [NFC_SD, TDES_PBOC],
  [EMBEDDED_SE, TDES_PBOC],
  [NFC_SIM_SM4, SM4_PROFILE],
])("the card story on %s", (profile, algorithm) => {
  it(`runs every step on ${profile.name}/${profile.scp.protocol} with ${algorithm.name}`, () => {
    const story = runCardStory({ seed: 3, crypto: nativeCrypto, profile, algorithm })
    expect(story.steps.map((s) => [s.step.name, s.ok, s.detail])).toEqual(
      STORY_STEPS.map((s) => [s.name, true, expect.any(String)]),
    )
    expect(story.ok).toBe(true)
    // Only the two SELECTs that show the block and the delete answer an error status word.
    const errors = story.exchanges.map((e) => sw(e.response)).filter((s) => s !== 0x9000)
    expect(errors).toEqual([0x6283, 0x6a82])
  })
})

describe.each([
  [NFC_SIM, TDES_PBOC, "rsa"],
  [EMBEDDED_SE, TDES_PBOC, "sm2"],
  [NFC_SIM_SM4, SM4_PROFILE, "rsa"],
] as const)("the card story with fDDA", (profile, algorithm, oda) => {
  it(`personalizes DEK-encrypted ${oda} keys over ${profile.scp.protocol} and passes fDDA offline`, () => {
    const story = runCardStory({ seed: 5, crypto: nativeCrypto, profile, algorithm, oda })
    expect(story.ok).toBe(true)
    const perso = story.steps.find((s) => s.step.name === "personalize")!.detail
    expect(perso).toMatch(oda === "rsa" ? /8101 8102 8000 encrypted/ : /8101 8000 encrypted/)
    const offline = story.steps.find((s) => s.step.name === "offline-purchase")!.detail
    expect(offline).toContain("fDDA passed, TVR 0000000000, TSI 8000")
  })

  it(`keeps the ${oda} fDDA card's personalized image (ISD, SSD, PPSE, PBOC with its ODA key) within 1 KiB`, () => {
    const perso = runCardStory({
      seed: 5,
      crypto: nativeCrypto,
      profile,
      algorithm,
      oda,
      until: "personalize",
    })
    expect(perso.context.card.image().length).toBeLessThanOrEqual(1024)
  })
})

describe("the card story", () => {
  it("is a pure function of its seed, and the seed matters", () => {
    const a = runCardStory({ seed: 11, crypto: nativeCrypto })
    const b = runCardStory({ seed: 11, crypto: nativeCrypto })
    const c = runCardStory({ seed: 12, crypto: nativeCrypto })
    expect(b.exchanges).toEqual(a.exchanges)
    expect(c.exchanges.length).toBe(a.exchanges.length)
    expect(c.exchanges).not.toEqual(a.exchanges)
  })

  it("gives the same bytes on the reference crypto layer", () => {
    const native = runCardStory({ seed: 5, crypto: nativeCrypto })
    const reference = runCardStory({ seed: 5, crypto: referenceCrypto })
    expect(reference.exchanges).toEqual(native.exchanges)
  })

  it("stamps each exchange after the previous one by transfer, processing, NVM writes and turnaround", () => {
    const { exchanges } = runCardStory({ seed: 1, crypto: nativeCrypto })
    expect(exchanges[0]!.atUs).toBe(STORY_EPOCH_US)
    for (let i = 1; i < exchanges.length; i++) {
      const previous = exchanges[i - 1]!
      const bytes = previous.command.length + previous.response.length + 6
      const gap = exchanges[i]!.atUs - previous.atUs
      const withoutWrites =
        bytes * CARD_LATENCY.transferUsPerByte + CARD_LATENCY.processingUs + CARD_LATENCY.turnaroundUs
      expect((gap - withoutWrites) % CARD_LATENCY.nvmWriteUs).toBe(0)
      expect(gap).toBeGreaterThanOrEqual(withoutWrites)
    }
    // STORE DATA writes NVM, so personalization is slower than its transfer alone.
    const perso = runCardStory({ seed: 1, crypto: nativeCrypto, until: "personalize" })
    const last = perso.exchanges.at(-1)!
    expect(perso.context.card.nowUs()).toBeGreaterThan(last.atUs + CARD_LATENCY.nvmWriteUs)
  })

  it("stops after the named step, with a personalized image within 1 KiB", () => {
    const story = runCardStory({ seed: 1, crypto: nativeCrypto, until: "personalize" })
    expect(story.steps.at(-1)!.step.name).toBe("personalize")
    expect(personalizationEnd(story)).toBe(story.exchanges.length)
    const imageBytes = story.context.card.image().length
    expect(imageBytes).toBeGreaterThan(300)
    expect(imageBytes).toBeLessThanOrEqual(1024)
    expect(() => runCardStory({ seed: 1, crypto: nativeCrypto, until: "nope" as "block" })).toThrow(
      RangeError,
    )
  })

  it("records nothing when asked not to, and behaves the same", () => {
    const silent = runCardStory({ seed: 1, crypto: nativeCrypto, record: false })
    expect(silent.ok).toBe(true)
    expect(silent.exchanges).toEqual([])
    expect(silent.context.card.nowUs()).toBe(
      runCardStory({ seed: 1, crypto: nativeCrypto }).context.card.nowUs(),
    )
  })
})
