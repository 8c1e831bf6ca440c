// Proves an OTA key rotation on a real card: after PUT KEY and the application's re-issue under a new DKI, the old key set and old IMKs are refused and the new ones work, balance kept.
import { readFileSync } from "node:fs"
import { resolve } from "node:path"
import { describe, expect, it } from "vitest"
import { nativeCrypto } from "../../../../model/crypto/native-crypto.ts"
import { runCardStory } from "../../../../model/host/card-story/card-story.ts"
import { SSD_KVN, type StoryContext } from "../../../../model/host/card-story/story-context.ts"
import type { IssuerMasterKeys } from "../../../../model/host/issuer/issuer-keys.ts"
import { answerOnlineRequest } from "../../../../model/host/issuer/online-issuer.ts"
import { runTransaction } from "../../../../model/host/terminal/qpboc-kernel.ts"
import { TYPE_PURCHASE } from "../../../../model/host/terminal/terminal-data.ts"
import { heldCardOf, materialize, putAway } from "../../../../model/world/pilot/held-card.ts"
import {
  initializeUpdateSw,
  openBankSsd,
  rotateHeldCard,
} from "../../../../model/world/pilot/key-rotation.ts"
import { runPilot } from "../../../../model/world/pilot/pilot-run.ts"
import { decodePilotScenario } from "../../../../model/world/pilot/pilot-scenario.ts"

const crypto = nativeCrypto

const issued = (seed: number) => {
  const story = runCardStory({ seed, crypto, record: false, until: "personalize" })
  expect(story.ok).toBe(true)
  return heldCardOf(story.context, seed)
}

/** An online purchase whose issuer verifies the ARQC with `imks`. */
const onlinePurchase = (ctx: StoryContext, imks: IssuerMasterKeys, amountFen: number) =>
  runTransaction(
    ctx.card,
    {
      amountFen,
      type: TYPE_PURCHASE,
      dateYymmdd: "160302",
      unpredictableNumber: ctx.unpredictableNumber(4),
      path: "pboc",
      ecashSupported: false,
      onlineRequired: false,
    },
    (request) => answerOnlineRequest(crypto, ctx.algorithm, imks, request, { approve: true, loadFen: null }),
  )

describe("key rotation on a byte-level card", () => {
  it("replaces the SSD key set and the IMKs: old ones refused, new ones work", () => {
    const held = issued(4242)
    const old = held.keys
    const before = materialize(held, crypto)
    expect(onlinePurchase(before, old.imks, 1_000).kind).toBe("approved-online")
    putAway(held, before)

    const rotation = rotateHeldCard(crypto, held)
    expect(rotation).toMatchObject({ ok: true })
    expect(held.ssdKvn).toBe(SSD_KVN + 1)
    expect(held.data.dki).toBe(0x02)
    expect(held.keys.ssd.enc).not.toEqual(old.ssd.enc)
    expect(held.keys.imks.imkAc).not.toEqual(old.imks.imkAc)

    const after = materialize(held, crypto)
    // The old key set is gone from the card: a session on the old KVN is refused at once.
    expect(initializeUpdateSw(after, SSD_KVN)).toBe(0x6a88)
    expect(openBankSsd(after, SSD_KVN, old.ssd)).toBe("INITIALIZE UPDATE answered 6A88")
    // The old keys under the new KVN cannot authenticate the card (its cryptogram uses the new keys).
    expect(openBankSsd(after, held.ssdKvn, old.ssd)).toBe("channel: card-cryptogram")
    expect(typeof openBankSsd(after, held.ssdKvn, held.keys.ssd)).toBe("object")
    // The card's ARQC verifies under the new IMKs only.
    expect(onlinePurchase(after, old.imks, 1_000).kind).toBe("declined")
    expect(onlinePurchase(after, held.keys.imks, 1_000).kind).toBe("approved-online")
  })

  it("keeps the e-cash balance across the application's re-issue and can rotate again", () => {
    const held = issued(77)
    held.balanceFen = 12_345
    expect(rotateHeldCard(crypto, held).ok).toBe(true)
    expect(rotateHeldCard(crypto, held).ok).toBe(true)
    expect(held.rotations).toBe(2)
    expect(held.data.dki).toBe(0x03)
    const ctx = materialize(held, crypto)
    const o = runTransaction(
      ctx.card,
      {
        amountFen: 345,
        type: TYPE_PURCHASE,
        dateYymmdd: "160302",
        unpredictableNumber: ctx.unpredictableNumber(4),
        path: "qpboc",
        ecashSupported: true,
        onlineRequired: false,
      },
      () => {
        throw new Error("an offline purchase goes online")
      },
    )
    expect(o).toMatchObject({ kind: "approved-offline", balanceAfterFen: 12_000 })
    expect(initializeUpdateSw(ctx, SSD_KVN + 1)).toBe(0x6a88)
  })

  it("refuses to rotate a card whose recorded key set is not the card's", () => {
    const held = issued(9)
    held.keys = { ...held.keys, ssd: { ...held.keys.ssd, enc: new Uint8Array(16).fill(7) } }
    const r = rotateHeldCard(crypto, held)
    expect(r.ok).toBe(false)
    expect(r.detail).toBe("old-key session: channel: card-cryptogram")
    expect(held.rotations).toBe(0)
  })
})

describe("scenario 13", () => {
  it("rotates the byte-level cards held on the day, whose later taps still verify, with zero violations", () => {
    const file = resolve(import.meta.dirname, "../../../../scenarios/13-key-compromise.json")
    const d = decodePilotScenario(JSON.parse(readFileSync(file, "utf8")))
    if (!d.ok) throw new Error(d.message)
    const s = runPilot({ scenario: d.value, population: d.population, scale: 0.01, seed: 7, crypto })
    const tally = s.world.cards.tally
    expect(s.violations).toEqual([])
    expect(tally.rotated).toBeGreaterThan(0)
    expect(tally.rotated).toBeLessThanOrEqual(tally.issued)
    // Taps after 2016-03-01 went online under the new IMKs (a failed ARQC would be a violation).
    expect(tally.transactions).toBeGreaterThan(tally.rotated)
  }, 120_000)
})
