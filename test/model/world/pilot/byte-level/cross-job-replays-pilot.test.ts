/**
 * Proves the pilot catches an envelope replayed from another byte-level issuance job (issue 12
 * item 3): with a planted defect — users 2k and 2k+1 seal their envelopes under one purpose, so
 * their jobs reuse each other's nonces — every key two jobs share within 2·window (checked on the
 * envelope bytes, decoded independently of the replay memory) fails the second job's issuance as
 * `replayed` (a failed flow, a rejected envelope, an invariant violation, a reason in the report),
 * a key they share further apart passes, and the verdicts and digest are the same on one thread and
 * on two; without the plant, nothing is refused.
 */
import { readFileSync } from "node:fs"
import { join, resolve } from "node:path"
import { beforeAll, describe, expect, it } from "vitest"
import { fidelityOf, pilotOutcome } from "../../../../../app/run/pilot-outcome.ts"
import { toHex } from "../../../../../model/bytes/hex.ts"
import { nativeCrypto } from "../../../../../model/crypto/native-crypto.ts"
import { decodeEnvelope } from "../../../../../model/parties/messages/envelope.ts"
import { WINDOW_US_DEFAULT } from "../../../../../model/parties/messages/envelope-verifier.ts"
import { runPilot } from "../../../../../model/world/pilot/pilot-run.ts"
import { decodePilotScenario } from "../../../../../model/world/pilot/pilot-scenario.ts"
import type { PilotWorld } from "../../../../../model/world/pilot/pilot-world.ts"

const repoRoot = resolve(import.meta.dirname, "../../../../..")
const plan = decodePilotScenario(
  JSON.parse(readFileSync(join(repoRoot, "scenarios/04-pilot-plan.json"), "utf8")),
)
if (!plan.ok) throw new Error(plan.message)

/** One delivered envelope as the evidence sink saw it: who received it from whom, with which nonce. */
interface Delivered {
  readonly key: string
  readonly atUs: number
  readonly verdict: string
}

/**
 * Every user byte-level, and a campaign of 30 cards one minute apart (consecutive users, so the
 * planted pairs' jobs fall within the window), with the envelopes recorded.
 */
const run = (threads: number, planted: boolean) => {
  const delivered: Delivered[] = []
  const state = runPilot({
    scenario: {
      ...plan.value,
      fidelity: { byteLevelFraction: 1 },
      campaignIssuances: [{ name: "burst", startDate: "2014-08-05", cards: 30_000, ordersPerHour: 60_000 }],
    },
    population: plan.population,
    scale: 0.001,
    seed: 7,
    crypto: nativeCrypto,
    untilDate: "2014-08-20",
    threads,
    beforeRun: (w: PilotWorld) => {
      if (threads > 1) expect(w.issuanceJobs.waitReady(240_000)).toBe(true)
      if (planted) w.issuanceJobs.purposeOf = (user, generation) => `planted/${user >> 1}.${generation}`
      w.cards.chain.onEnvelope = (bytes, record) => {
        const decoded = decodeEnvelope(bytes)
        if (!decoded.ok) throw new Error(`undecodable envelope ${record.hex}`)
        const { sender, nonce } = decoded.value.envelope
        delivered.push({
          key: `${record.receiver} ${sender}/${toHex(nonce)}`,
          atUs: record.atUs,
          verdict: record.verdict,
        })
      }
    },
  })
  return { state, delivered }
}

/** The delivered envelopes grouped by (receiver, sender, nonce), in delivery (fold) order. */
const byKey = (delivered: ReadonlyArray<Delivered>): Delivered[][] => {
  const groups = new Map<string, Delivered[]>()
  for (const d of delivered) {
    const group = groups.get(d.key) ?? []
    group.push(d)
    groups.set(d.key, group)
  }
  return [...groups.values()]
}

const meta = { scenario: "t", seed: 7, scenarioHash: "", status: "complete" }

describe("replays across byte-level issuance jobs", () => {
  let clean: ReturnType<typeof run>
  let planted: ReturnType<typeof run>
  beforeAll(() => {
    clean = run(1, false)
    planted = run(1, true)
  }, 600_000)

  it("none without the plant: every envelope accepted, nothing refused", () => {
    const w = clean.state.world
    expect(w.cards.tally.issued).toBeGreaterThan(40)
    expect(w.issuanceJobs.replays.refused).toEqual({ replayed: 0, overloaded: 0 })
    expect(w.cards.chain.counts.rejected).toBe(0)
    expect(clean.state.violations).toEqual([])
    expect(byKey(clean.delivered).every((g) => g.length === 1 && g[0]!.verdict === "accepted")).toBe(true)
  }, 300_000)

  it("a nonce another job used within 2·window fails the issuance as replayed, one further away passes", () => {
    const { state, delivered } = planted
    const w = state.world
    const groups = byKey(delivered)
    // The planted pairs share keys: a key is delivered at most twice (the second job stops there).
    expect(groups.every((g) => g.length <= 2)).toBe(true)
    const within = groups.filter(
      (g) => g.length === 2 && Math.abs(g[1]!.atUs - g[0]!.atUs) <= 2 * WINDOW_US_DEFAULT,
    )
    const beyond = groups.filter(
      (g) => g.length === 2 && Math.abs(g[1]!.atUs - g[0]!.atUs) > 2 * WINDOW_US_DEFAULT,
    )
    expect(within.length).toBeGreaterThan(5)
    expect(beyond.length).toBeGreaterThan(0)
    // Within the window the one delivered second is refused; beyond it both pass; alone, each passes.
    for (const g of within) expect(g.map((d) => d.verdict)).toEqual(["accepted", "replayed"])
    for (const g of groups.filter((x) => !within.includes(x)))
      expect(g.every((d) => d.verdict === "accepted")).toBe(true)
    // Each refusal is a failed issuance, a rejected envelope, a violation, and the report's reason.
    const replayed = within.length
    expect(w.issuanceJobs.replays.refused).toEqual({ replayed, overloaded: 0 })
    expect(w.cards.chain.counts.rejected).toBe(replayed)
    expect(w.cards.chain.counts.signed).toBe(delivered.length)
    const f = fidelityOf(state)
    expect(f.byteLevelIssuancesFailed).toBe(replayed)
    expect(
      Object.entries(w.cards.tally.failed).every(([reason]) => reason.endsWith("'s envelope: replayed")),
    ).toBe(true)
    expect(Object.values(w.cards.tally.failed).reduce((a, b) => a + b, 0)).toBe(replayed)
    expect(w.cards.tally.issued).toBe(clean.state.world.cards.tally.issued - replayed)
    expect(state.invariants["byte-level-envelopes-verified"]).toEqual({ checks: 1, violations: 1 })
    expect(
      state.violations.filter((v) => v.includes("accepted from another job within the replay window")).length,
    ).toBe(replayed)
    const d = pilotOutcome(state, meta).diagnostics.find((x) => x.kind === "byte-level-refusals")
    expect(JSON.stringify(d)).toContain("'s envelope: replayed")
  }, 300_000)

  it("gives the same verdicts and digest on two threads", () => {
    const two = run(2, true)
    const w = two.state.world
    expect(w.issuanceJobs.workers).toBe(1)
    expect(w.issuanceJobs.ran.worker).toBeGreaterThan(0)
    expect(w.digest.hex()).toBe(planted.state.world.digest.hex())
    expect(w.issuanceJobs.replays.refused).toEqual(planted.state.world.issuanceJobs.replays.refused)
    expect(w.cards.tally).toEqual(planted.state.world.cards.tally)
    expect(two.delivered).toEqual(planted.delivered)
  }, 300_000)
})
