/**
 * Proves the pilot world is composed from the parties' layers (issue 12 item 1): the default layers
 * give the same run as the faithful decisions (same digest), and swapping one party's layer changes
 * exactly what that party decides — a bank host that declines every online authorization leaves
 * issuance untouched and approves nothing (the transactions KPI falls to the offline and stand-in
 * ones, of which there are none without loads and host outages); an MTPS that refuses every
 * envelope lets no card be issued, while the population still asks for every order. The crypto
 * comes from its layer too: the reference implementation gives the native run's digest, and a
 * crypto whose SM2 verification fails lets no byte-level card be issued.
 */
import { readFileSync } from "node:fs"
import { resolve } from "node:path"
import { Effect, Layer } from "effect"
import { describe, expect, it } from "vitest"
import { pilotOutcome } from "../../../../app/run/pilot-outcome.ts"
import { CryptoService } from "../../../../model/crypto/crypto-service.ts"
import { nativeCrypto } from "../../../../model/crypto/native-crypto.ts"
import { AUTH_VERDICT } from "../../../../model/parties/bank/authorization-decision.ts"
import { BankHostParty, MtpsParty } from "../../../../model/world/pilot/pilot-party-layers.ts"
import { type PilotLayerSwaps, pilotLayers, pilotRun } from "../../../../model/world/pilot/pilot-root.ts"
import { type PilotRunState, runPilot } from "../../../../model/world/pilot/pilot-run.ts"
import { decodePilotScenario } from "../../../../model/world/pilot/pilot-scenario.ts"

const PLAN = resolve(import.meta.dirname, "../../../../scenarios/04-pilot-plan.json")
const ONE_CARD = resolve(import.meta.dirname, "../../../../scenarios/01-one-card.json")
const decoded = decodePilotScenario(JSON.parse(readFileSync(PLAN, "utf8")))
if (!decoded.ok) throw new Error(decoded.message)
const options = {
  scenario: decoded.value,
  population: decoded.population,
  scale: 0.002,
  seed: 5,
  untilDate: "2015-01-31",
}

const runWith = (swaps: PilotLayerSwaps): PilotRunState =>
  Effect.runSync(pilotRun(options).pipe(Effect.provide(pilotLayers(swaps))))

/** A host that declines every authorization it is asked for (as if every amount exceeded its limit). */
const decliningHost = Layer.succeed(BankHostParty)(
  BankHostParty.of({ decideAuthorization: () => AUTH_VERDICT.exceedsLimit }),
)

/** A hub that refuses every envelope an institution sends it. */
const refusingHub = Layer.succeed(MtpsParty)(
  MtpsParty.of({
    decideMtps: (_state, input) => [
      {
        kind: "send",
        to: input.sender,
        message: {
          _tag: "ErrorReport",
          code: "refused",
          refersToNonce: input.nonceHex,
          detail: "test: refuses",
        },
      },
    ],
  }),
)

const party = (s: PilotRunState, id: string) =>
  s.world.decisions.record()[id] ?? { decisions: {}, errors: {} }

const declinedErrors = (s: PilotRunState): Record<string, number> =>
  Object.fromEntries(Object.entries(party(s, "bank-host").errors).filter(([k]) => k.startsWith("declined:")))

const attempts = (s: PilotRunState): number =>
  s.world.totals.transactions + s.world.totals.transactionsFailed + s.world.totals.transactionsBeforeCard

describe("the pilot composed from layers", () => {
  const faithful = runWith({})

  it("with the default layers is the run of the faithful decisions", () => {
    const direct = runPilot({ ...options, crypto: nativeCrypto })
    expect(faithful.world.digest.hex()).toBe(direct.world.digest.hex())
    expect(faithful.phaseRows).toEqual(direct.phaseRows)
    expect(faithful.violations).toEqual([])
    // The baseline the swaps are measured against has issuance and approved payments of every kind.
    expect(faithful.world.totals.cards).toBeGreaterThan(0)
    expect(faithful.world.totals.transactions).toBeGreaterThan(0)
    expect(party(faithful, "bank-host").decisions.authorize).toBeGreaterThan(0)
    expect(party(faithful, "users").decisions["offline-e-cash"]).toBeGreaterThan(0)
  }, 120_000)

  it("a bank host that declines everything: issuance unchanged, no payment approved", () => {
    const s = runWith({ bankHost: decliningHost })
    const t = s.world.totals
    const host = party(s, "bank-host")
    // Issuance does not ask the authorization host: the same cards at the same times.
    expect(t.cards).toBe(faithful.world.totals.cards)
    expect(s.world.flows.issued).toBe(faithful.world.flows.issued)
    // The population tries the same payments; each one the host decided is declined by its verdict.
    expect(attempts(s)).toBe(attempts(faithful))
    expect(host.decisions.authorize).toBeGreaterThan(0)
    const declined = declinedErrors(s)
    expect(declined["declined: exceeds-limit"]).toBe(host.decisions.authorize)
    expect(Object.values(declined).reduce((n, v) => n + v, 0)).toBe(host.decisions.authorize)
    // Nothing approves a payment but the offline e-cash (never loaded: loads are online) and the
    // switch's stand-in (only while a host is unreachable, and 04 has no host outage here).
    expect(party(s, "users").decisions["offline-e-cash"]).toBe(0)
    expect(party(s, "unionpay-switch").decisions["stand-in"]).toBe(0)
    expect(t.transactions).toBe(0)
    expect(t.valueFen).toBe(0)
    const kpis = pilotOutcome(s, { scenario: "swap", seed: 5, scenarioHash: "test", status: "complete" }).kpis
    expect(kpis.transactions!.value).toBe(0)
    expect(kpis.cards!.value).toBe(faithful.world.totals.cards)
    expect(s.violations).toEqual([])
  }, 120_000)

  it("an MTPS that refuses every envelope: no card issued, every order still asked for", () => {
    const s = runWith({ mtps: refusingHub })
    const f = s.world.flows
    const hub = party(s, "mtps")
    // A SIM swap re-issues a card the TSM knows: with none issued, no swap order starts.
    const swapOrders = (r: PilotRunState) => party(r, "telco-ota").decisions["retire swapped UICC"] ?? 0
    expect(swapOrders(faithful)).toBeGreaterThan(0)
    expect(swapOrders(s)).toBe(0)
    expect(f.started).toBe(faithful.world.flows.started - swapOrders(faithful))
    expect(f.issued).toBe(0)
    expect(s.world.totals.cards).toBe(0)
    expect(s.world.totals.transactions).toBe(0)
    // Nothing was routed or registered; each step that reached the hub was refused.
    expect(hub.decisions.route ?? 0).toBe(0)
    expect(hub.decisions.registry ?? 0).toBe(0)
    expect(hub.errors.refused).toBeGreaterThan(0)
    // Every issuing order not in flight at the end was abandoned, and the auditors still hold.
    expect(f.abandoned + f.inFlight).toBe(f.started)
    expect(s.violations).toEqual([])
  }, 120_000)

  it("takes its crypto from the layer: reference gives the native digest, a failing verifier no card", () => {
    const one = decodePilotScenario(JSON.parse(readFileSync(ONE_CARD, "utf8")))
    if (!one.ok) throw new Error(one.message)
    const o = { scenario: one.value, population: one.population, scale: 1, seed: one.value.seed }
    const withCrypto = (crypto: Layer.Layer<CryptoService>) =>
      Effect.runSync(pilotRun(o).pipe(Effect.provide(pilotLayers({ crypto }))))
    const native = withCrypto(CryptoService.native)
    const reference = withCrypto(CryptoService.reference)
    // The one card's issuance and payments ran real crypto (signatures, MACs, cryptograms).
    expect(native.world.cards.tally.issued).toBe(1)
    expect(native.world.cryptoCounts.sm2Sign).toBeGreaterThan(0)
    expect(reference.world.cryptoCounts).toEqual(native.world.cryptoCounts)
    expect(reference.world.digest.hex()).toBe(native.world.digest.hex())
    expect(reference.violations).toEqual([])
    // A crypto layer whose SM2 verification always fails: the envelopes of the card's issuance
    // are rejected by their receivers, so no card is issued — the world uses the layer's crypto.
    const failing = Layer.succeed(CryptoService, {
      ...nativeCrypto,
      sm2: { ...nativeCrypto.sm2, verify: () => false },
    })
    const broken = withCrypto(failing)
    expect(broken.world.totals.byteLevelIssuancesFailed).toBeGreaterThan(0)
    expect(broken.world.cards.tally.issued).toBe(0)
    expect(broken.world.totals.cards).toBe(0)
  }, 300_000)
})
