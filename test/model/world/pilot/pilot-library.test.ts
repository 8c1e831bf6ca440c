/**
 * Proves the scenario library: every numbered pilot scenario validates and runs at a small scale
 * with zero invariant violations (byte-level users included), the run is a function of its seed,
 * the HSM count drives issuance latency in the campaign, and a scenario with errors gets every
 * error with its JSON path and exit code 2 from the CLI.
 */
import { spawnSync } from "node:child_process"
import { mkdirSync, readFileSync, writeFileSync } from "node:fs"
import { join, resolve } from "node:path"
import { describe, expect, it } from "vitest"
import { libraryFiles } from "../../../../app/cli/list-command.ts"
import { BadInput } from "../../../../app/run/errors.ts"
import { pilotOutcome } from "../../../../app/run/pilot-outcome.ts"
import { loadScenarioSync } from "../../../../app/run/scenario-input.ts"
import { nativeCrypto } from "../../../../model/crypto/native-crypto.ts"
import { runPilot } from "../../../../model/world/pilot/pilot-run.ts"
import { decodePilotScenario, type PilotScenario } from "../../../../model/world/pilot/pilot-scenario.ts"

const repoRoot = resolve(import.meta.dirname, "../../../..")
const SMALL_SCALE = 0.002

const load = (file: string) => {
  const d = decodePilotScenario(JSON.parse(readFileSync(file, "utf8")))
  if (!d.ok) throw new Error(`${file}: ${d.message}`)
  return d
}

const pilotFiles = libraryFiles().filter((f) => JSON.parse(readFileSync(f, "utf8")).kind === "pilot")

describe("scenario library", () => {
  it("has the numbered pilot scenarios and every library file validates", () => {
    expect(pilotFiles.length).toBeGreaterThanOrEqual(11)
    for (const f of libraryFiles()) {
      const loaded = loadScenarioSync(f)
      expect(loaded instanceof BadInput ? loaded.problems : [], f).toEqual([])
    }
  })

  for (const file of pilotFiles)
    it(`${file.split("/").at(-1)} runs at scale ${SMALL_SCALE} with zero invariant violations`, () => {
      const d = load(file)
      // Seed 7 for the populations (any seed must hold the invariants); a one-user tutorial step
      // runs with its own seed, which is the user whose story it tells.
      const seed = d.population.market.marketUsers === 1 ? d.value.seed : 7
      const s = runPilot({
        scenario: d.value,
        population: d.population,
        scale: SMALL_SCALE,
        seed,
        crypto: nativeCrypto,
      })
      const o = pilotOutcome(s, { scenario: d.value.name, seed, scenarioHash: "test", status: "complete" })
      expect(s.violations).toEqual([])
      expect(Object.values(o.invariants).every((c) => c.violations === 0)).toBe(true)
      expect(o.kpis.cards!.value).toBeGreaterThan(0)
      expect(o.targets.length).toBe(
        d.value.phases.filter((p) => p.endDate <= d.value.untilDate).length * 4 +
          d.value.phases.filter((p) => p.endDate > d.value.untilDate).length * 4,
      )
    }, 120_000)
})

describe("01-one-card", () => {
  it("issues one real card over the air to its one user, who pays with it at a shop", () => {
    const d = load(join(repoRoot, "scenarios/01-one-card.json"))
    const s = runPilot({
      scenario: d.value,
      population: d.population,
      scale: 1,
      seed: d.value.seed,
      crypto: nativeCrypto,
    })
    const w = s.world
    expect(s.violations).toEqual([])
    expect(w.population.market.marketUsers).toBe(1)
    expect(w.totals.cards).toBe(1)
    expect(w.cards.tally.issued).toBe(1)
    // The PKI's certificates (the root and every institution), then the issuance's envelopes:
    // bank → TSM → MTPS → SE issuer and back for a local bank (6), SP-TSM → MTPS → SE issuer and
    // back for a national one (4), each verified by its receiver.
    const certificates = 1 + w.cards.chain.pki.ca.institutions().length
    const envelopes = w.cards.chain.counts.signed
    expect([4, 6]).toContain(envelopes)
    expect(w.cards.chain.counts.rejected).toBe(0)
    expect(w.cryptoCounts.sm2Sign).toBe(certificates + envelopes)
    // Card-present taps ran on the real card (offline e-cash purchases, checked against the balance).
    expect(w.cards.tally.transactions).toBeGreaterThanOrEqual(1)
    expect(w.totals.transactions).toBeGreaterThanOrEqual(w.cards.tally.transactions)
  })
})

describe("pilot runs", () => {
  it("puts real cards in the byte-level users' hands and is a function of the seed", () => {
    const d = load(join(repoRoot, "scenarios/04-pilot-plan.json"))
    const run = (seed: number) =>
      runPilot({
        scenario: d.value,
        population: d.population,
        scale: SMALL_SCALE,
        seed,
        crypto: nativeCrypto,
        untilDate: "2015-01-31",
      })
    const a = run(3)
    const b = run(3)
    expect(a.world.cards.tally.issued).toBeGreaterThan(0)
    expect(a.world.cryptoCounts.sm2Sign).toBeGreaterThanOrEqual(a.world.cards.tally.issued)
    expect(a.world.digest.hex()).toBe(b.world.digest.hex())
    expect(a.phaseRows).toEqual(b.phaseRows)
  }, 120_000)

  it("issuance latency in the campaign falls when the TSM gets more HSMs", () => {
    const d = load(join(repoRoot, "scenarios/06-issuance-campaign.json"))
    const withHsms = (hsmCount: number) => {
      const scenario: PilotScenario = {
        ...d.value,
        fidelity: { byteLevelFraction: 0 },
        capacity: { ...d.value.capacity, tsm: { ...d.value.capacity.tsm, hsmCount } },
        // The campaign's full-scale order rate at a small population: the HSM pool sees the real load.
        campaignIssuances: d.value.campaignIssuances.map((c) => ({
          ...c,
          cards: 200_000,
          ordersPerHour: c.ordersPerHour * 50,
        })),
      }
      const s = runPilot({ scenario, population: d.population, scale: 0.02, seed: 5, crypto: nativeCrypto })
      return s.world.flows.latency.get("campaign")!.summary().mean
    }
    const one = withHsms(1)
    const four = withHsms(4)
    console.log(
      `campaign issuance latency: 1 HSM ${(one / 1e6).toFixed(1)} s, 4 HSMs ${(four / 1e6).toFixed(1)} s`,
    )
    expect(four).toBeLessThan(one)
  }, 120_000)

  it("a scenario with errors gets every error with its path and exit code 2", () => {
    const good = JSON.parse(readFileSync(join(repoRoot, "scenarios/04-pilot-plan.json"), "utf8"))
    const bad = {
      ...good,
      seed: -1,
      scaleFactor: 0,
      capacity: { ...good.capacity, tsm: { ...good.capacity.tsm, hsmCount: "two" } },
      phases: [{ ...good.phases[0], endDate: "July" }],
    }
    mkdirSync(join(repoRoot, "out"), { recursive: true })
    const file = join(repoRoot, "out", "test-bad-pilot.json")
    writeFileSync(file, JSON.stringify(bad))
    const decoded = decodePilotScenario(bad)
    expect(decoded.ok).toBe(false)
    const cli = spawnSync(
      process.execPath,
      ["--import", "tsx", join(repoRoot, "app/cli/main.ts"), "validate", file],
      { encoding: "utf8", cwd: repoRoot },
    )
    expect(cli.status).toBe(2)
    for (const path of [
      '["seed"]',
      '["scaleFactor"]',
      '["capacity"]["tsm"]["hsmCount"]',
      '["phases"][0]["endDate"]',
    ])
      expect(cli.stderr).toContain(path)
    const run = spawnSync(
      process.execPath,
      [
        "--import",
        "tsx",
        join(repoRoot, "app/cli/main.ts"),
        "run",
        file,
        "--out",
        join(repoRoot, "out", "test-bad-run"),
      ],
      { encoding: "utf8", cwd: repoRoot },
    )
    expect(run.status).toBe(2)
    expect(run.stderr).toContain('["capacity"]["tsm"]["hsmCount"]')
  }, 120_000)
})
