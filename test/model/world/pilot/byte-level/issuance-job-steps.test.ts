/**
 * A byte-plane job carries the whole OTA issuance (byte-level/issuance-job.ts with ota-issuance.ts):
 * the card it makes and both steps' OTA plans are the ones the card makes on the kernel's own
 * thread, and what the kernel does with the result follows the order's steps — nothing is held or
 * counted as issued at create-ssd, the card is held at personalize, and an order dropped between
 * the two holds none (the pilot's "cards-held-are-active" invariant).
 */
import { readFileSync } from "node:fs"
import { join, resolve } from "node:path"
import { describe, expect, it } from "vitest"
import { nativeCrypto } from "../../../../../model/crypto/native-crypto.ts"
import {
  IssuanceJobRunner,
  type IssuanceJobSetup,
} from "../../../../../model/world/pilot/byte-level/issuance-job.ts"
import { IssuanceJobs, inlinePlane } from "../../../../../model/world/pilot/byte-level/issuance-plane.ts"
import { ByteLevelCards } from "../../../../../model/world/pilot/byte-level-cards.ts"
import { countingCrypto } from "../../../../../model/world/pilot/counting-crypto.ts"
import { decodePilotScenario } from "../../../../../model/world/pilot/pilot-scenario.ts"

const repoRoot = resolve(import.meta.dirname, "../../../../..")
const decoded = decodePilotScenario(
  JSON.parse(readFileSync(join(repoRoot, "scenarios/04-pilot-plan.json"), "utf8")),
)
if (!decoded.ok) throw new Error(decoded.message)
const SEED = 11
const setup: IssuanceJobSetup = {
  seed: SEED,
  keySeed: "seed-11",
  population: decoded.population,
  startS: 1_400_000_000,
  wrongIssuerKeyFraction: 0,
}

/** A world's cards with its byte plane on this thread, as pilot-world.ts wires them. */
const jobWorld = () => {
  const counted = countingCrypto(nativeCrypto)
  const cards = new ByteLevelCards(counted.crypto, SEED, { ...setup, now: () => 0 })
  cards.chain.onEnvelope = null
  const jobs = new IssuanceJobs(
    cards,
    inlinePlane(new IssuanceJobRunner(nativeCrypto, setup)),
    counted.counts,
    () => 0,
  )
  return { cards, jobs }
}

describe("an issuance job over the order's OTA steps", () => {
  it("makes the card and both steps' OTA plans as the kernel's own cards do, issuing it at personalize", () => {
    const users = [3, 17, 40]
    const direct = new ByteLevelCards(nativeCrypto, SEED, { ...setup, now: () => 0 })
    const { cards, jobs } = jobWorld()
    for (const [i, user] of users.entries()) {
      const expected = direct.issue(user, 0, "create-ssd")
      jobs.post(user, 0)
      jobs.collect(user, 0)
      expect(cards.hasPending(user, 0)).toBe(true)
      const atCreate = cards.issue(user, 0, "create-ssd")
      expect(atCreate).toEqual(expected)
      expect(atCreate.ota?.steps["create-ssd"].bearerUs).toBeGreaterThan(0)
      expect(atCreate.ota?.steps.personalize.seUs).toBeGreaterThan(0)
      // Made, planned and counted over the air, but not issued yet.
      expect(cards.held).toBe(i)
      expect(cards.tally.issued).toBe(i)
      expect(cards.issue(user, 0, "personalize")).toEqual(direct.issue(user, 0, "personalize"))
    }
    expect(cards.held).toBe(users.length)
    expect(cards.tally).toEqual(direct.tally)
    expect(cards.tally.otaPackets).toBeGreaterThanOrEqual(2 * users.length)
  }, 120_000)

  it("holds no card of an order dropped between create-ssd and personalize", () => {
    const { cards, jobs } = jobWorld()
    jobs.post(5, 0)
    jobs.collect(5, 0)
    expect(cards.issue(5, 0, "create-ssd").ok).toBe(true)
    cards.dropPending(5)
    expect(cards.hasPending(5, 0)).toBe(false)
    expect(cards.held).toBe(0)
    expect(cards.tally.issued).toBe(0)
    // Its OTA packets went (create-ssd's plan covers both steps), so they stay counted.
    expect(cards.tally.otaPackets).toBeGreaterThan(0)
  }, 120_000)
})
