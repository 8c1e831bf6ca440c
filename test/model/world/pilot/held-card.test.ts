// Proves a held card between sessions is plain data (bytes and numbers, plus shared constant profiles: no closure, no live card, no key array a cipher context could hang on), that its put-away streams resume with the very bytes the live streams give next, and that headless byte-level runs count their APDUs.
import { describe, expect, it } from "vitest"
import { nativeCrypto } from "../../../../model/crypto/native-crypto.ts"
import { runCardStory } from "../../../../model/host/card-story/card-story.ts"
import { ByteLevelCards } from "../../../../model/world/pilot/byte-level-cards.ts"
import { HeldCard, heldCardOf, materialize, putAway } from "../../../../model/world/pilot/held-card.ts"

const crypto = nativeCrypto

const issued = (seed: number) => {
  const story = runCardStory({ seed, crypto, record: false, until: "personalize" })
  expect(story.ok).toBe(true)
  return { story, held: heldCardOf(story.context, seed) }
}

/**
 * What a held card keeps per card, as paths to anything that is not plain data: functions
 * (closures), class instances other than Uint8Array, and key-sized byte arrays of their own
 * (the keys must live inside the one packed array). Objects in `shared` are not entered.
 */
const nonPlainData = (value: unknown, shared: ReadonlySet<unknown>, path = "held"): string[] => {
  if (shared.has(value)) return []
  if (typeof value === "function") return [`${path}: function`]
  if (value === null || typeof value !== "object") return []
  if (value instanceof Uint8Array) return []
  const proto = Object.getPrototypeOf(value)
  if (path !== "held" && proto !== Object.prototype && proto !== Array.prototype)
    return [`${path}: ${proto?.constructor?.name ?? "object"} instance`]
  return Object.entries(value).flatMap(([k, v]) => nonPlainData(v, shared, `${path}.${k}`))
}

const ownArrays = (held: HeldCard): number =>
  Object.values(held).filter((v) => v instanceof Uint8Array).length

describe("a held card", () => {
  it("is plain data: one byte string, numbers and shared constant profiles", () => {
    const a = issued(71).held
    const b = issued(72).held
    const shared = new Set<unknown>([a.profile, a.algorithm])
    expect(b.profile).toBe(a.profile)
    expect(b.algorithm).toBe(a.algorithm)
    // The account layout (all but DKI and balance) is one object for both cards.
    const accountOf = (h: HeldCard) =>
      Object.values(h).find((v) => typeof v === "object" && v !== null && "label" in v)
    expect(accountOf(b)).toBe(accountOf(a))
    shared.add(accountOf(a))
    expect(nonPlainData(a, shared)).toEqual([])
    // Keys and image live in one string (bytes as chars), not in arrays of their own; the PAN
    // (the account base shared by every card holds none) is the only other string.
    expect(ownArrays(a)).toBe(0)
    const strings = Object.values(a).filter((v) => typeof v === "string") as string[]
    expect(strings).toHaveLength(2)
    expect(strings[1]).toBe(a.data.account.pan)
    // The image is held as its difference from the thread's template (image-delta.ts): a second
    // card alike holds well under half of its raw image (keys 144 B and the length 2 B besides).
    const bBytes = Object.values(b).find((v) => typeof v === "string" && v.length > 100) as string
    expect(bBytes.length - 9 * 16 - 2).toBeLessThan(b.image.length / 2)
    // The checker can fail: a closure or a live object planted on a card is reported.
    expect(nonPlainData({ ...a, source: () => 1 }, shared)).toEqual(["held.source: function"])
    expect(nonPlainData({ ...a, ctx: new Map() }, shared)).toEqual(["held.ctx: Map instance"])
  })

  it("resumes its streams with the bytes the live streams give next, session after session", () => {
    const { story, held } = issued(73)
    const live = story.context
    for (let session = 0; session < 3; session++) {
      const ctx = materialize(held, crypto)
      expect(ctx.hostChallenge(8)).toEqual(live.hostChallenge(8))
      expect(ctx.unpredictableNumber(4)).toEqual(live.unpredictableNumber(4))
      putAway(held, ctx)
    }
    expect(held.image).toEqual(live.card.image())
  })

  it("keeps its keys as copies: changing a returned key changes nothing held", () => {
    const { story, held } = issued(74)
    held.keys.imks.imkAc.fill(0)
    expect(held.keys.imks.imkAc).toEqual(story.context.keys.imks.imkAc)
    expect(held.keys.ssd.dek).toEqual(story.context.keys.ssd.dek)
  })
})

describe("byte-level cards in a headless run", () => {
  it("count every APDU of an issuance and a transaction although none is recorded", () => {
    const cards = new ByteLevelCards(crypto, 5)
    let recorded = 0
    cards.tracer = {
      wants: (user) => user === 2,
      story: (_user, story) => (recorded = story.exchanges.length),
    }
    cards.issue(1, 0)
    const headless = cards.tally.apdus
    cards.issue(2, 0)
    expect(recorded).toBeGreaterThan(20)
    // User 1's story was not recorded, user 2's was: both counted, and the recorded one exactly.
    expect(headless).toBeGreaterThan(20)
    expect(cards.tally.apdus - headless).toBe(recorded)
    cards.transact(1, "purchase-offline", 100, "2015-08-01")
    expect(cards.tally.apdus).toBeGreaterThan(headless + recorded)
    expect(cards.tally.violations).toEqual([])
  })
})

describe("a held card across threads", () => {
  it("comes back from structured cloning as the same card: image, keys, account, positions, shape", () => {
    const { story, held } = issued(74)
    const ctx = materialize(held, crypto)
    putAway(held, ctx)
    held.balanceFen = 4321
    const back = HeldCard.fromWire(structuredClone(held.toWire()))
    expect(back).toBeInstanceOf(HeldCard)
    expect(back.image).toEqual(held.image)
    expect(back.keys).toEqual(held.keys)
    expect(back.data).toEqual(held.data)
    expect(back.profile).toBe(held.profile)
    expect(back.algorithm).toBe(held.algorithm)
    expect(Object.keys(back)).toEqual(Object.keys(held))
    for (const k of [
      "hostChallengeAt",
      "unpredictableNumberAt",
      "entropyAt",
      "balanceFen",
      "ssdKvn",
    ] as const)
      expect(back[k]).toBe(held[k])
    // The account layout is shared again with the cards of this thread.
    const accountOf = (h: HeldCard) =>
      Object.values(h).find((v) => typeof v === "object" && v !== null && "label" in v)
    expect(accountOf(back)).toBe(accountOf(held))
    expect(story.ok).toBe(true)
  })

  it("refuses to leave its thread with ODA material, which would not clone", () => {
    const { held } = issued(75)
    const withOda = Object.assign(Object.create(Object.getPrototypeOf(held)), held) as HeldCard
    Object.defineProperty(withOda, "data", { get: () => ({ ...held.data, oda: { seed: 1 } }) })
    expect(() => withOda.toWire()).toThrow(/ODA/)
  })
})
