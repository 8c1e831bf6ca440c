/**
 * The pilot's issuance network on its own kernel (model/world/pilot/issuance-flows.ts): orders
 * through the TSM's order machine, MTPS and the SE issuers, with the scenario-04 capacities.
 * Named tests for compensation, retries after an outage, a lock reaching the SE (also after a
 * bearer outage longer than its attempts), a SIM swap moving the card to the new SIM and retiring
 * the old one, and the issuance auditor seeing each planted defect.
 */
import { readFileSync } from "node:fs"
import { join, resolve } from "node:path"
import { describe, expect, it } from "vitest"
import type { CardWork } from "../../../../../model/world/pilot/byte-level-cards.ts"
import { auditIssuance } from "../../../../../model/world/pilot/issuance/issuance-auditor.ts"
import {
  IssuanceRegistries,
  Life,
  Reg,
} from "../../../../../model/world/pilot/issuance/issuance-registries.ts"
import { type Flow, IssuanceFlows } from "../../../../../model/world/pilot/issuance-flows.ts"
import { PartyDecisions } from "../../../../../model/world/pilot/party-decisions.ts"
import { FAITHFUL_PARTIES } from "../../../../../model/world/pilot/pilot-party-layers.ts"
import { decodePilotScenario } from "../../../../../model/world/pilot/pilot-scenario.ts"
import { ServerPool } from "../../../../../model/world/pilot/server-pool.ts"
import { Kernel } from "../../../../../sim/kernel/kernel.ts"
import { makePort } from "../../../../../sim/kernel/port.ts"
import { SignalBus } from "../../../../../sim/recorder/signals.ts"

const repoRoot = resolve(import.meta.dirname, "../../../../..")
const decoded = decodePilotScenario(
  JSON.parse(readFileSync(join(repoRoot, "scenarios/04-pilot-plan.json"), "utf8")),
)
if (!decoded.ok) throw new Error(decoded.message)
const HOUR = 3_600_000_000

interface Net {
  readonly kernel: Kernel
  readonly flows: IssuanceFlows
  readonly decisions: PartyDecisions
  readonly issued: Flow[]
  readonly abandoned: Flow[]
  /** What the byte-level card hook answers (all users are byte-level here when set). */
  card: CardWork | null
}

const network = (seed = 11): Net => {
  const kernel = new Kernel({ capacity: 1 << 12 })
  const port = makePort(kernel, seed, new SignalBus(null))
  const capacity = decoded.value.capacity
  const decisions = new PartyDecisions()
  const net: Net = {
    kernel,
    flows: null as unknown as IssuanceFlows,
    decisions,
    issued: [],
    abandoned: [],
    card: null,
  }
  const flows = new IssuanceFlows(
    port,
    capacity,
    new ServerPool("bank-host", capacity.bankHost.servers),
    64,
    (slots) => new IssuanceRegistries(slots, decoded.population, seed),
    port.stream("test.ota"),
    // The card's verdict is the personalization's; its SSD creation succeeds.
    {
      byteLevel: () => net.card !== null,
      begin: () => {},
      issue: (_u, step) => (step === "personalize" ? net.card! : MADE),
    },
    decisions,
    { issued: (f) => net.issued.push(f), abandoned: (f) => net.abandoned.push(f) },
    FAITHFUL_PARTIES,
  )
  return Object.assign(net, { flows })
}

const violationsOf = (flows: IssuanceFlows): Record<string, number> =>
  Object.fromEntries(auditIssuance(flows).map((a) => [a.name, a.violations]))

const clean = {
  "issuance-registries-agree": 0,
  "no-double-issuance": 0,
  "orders-terminal-or-in-flight": 0,
  "lock-close-reached-se": 0,
  "sim-swap-old-se-retired": 0,
}

const MADE: CardWork = { ok: true, cardUs: 0, reason: "" }

const runFor = (n: Net, hours: number) => n.kernel.run(n.kernel.nowUs + hours * HOUR)

describe("issuance network", () => {
  it("issues through bank, TSM, MTPS and the SE issuer, and all three registries agree", () => {
    const n = network()
    for (let u = 0; u < 20; u++) n.flows.start(u, u % 2 === 0 ? "local-bank" : "national-bank", u % 2 === 0)
    runFor(n, 48)
    expect(n.issued.length + n.abandoned.length).toBe(20)
    expect(n.issued.length).toBeGreaterThanOrEqual(18)
    const r = n.flows.registries
    for (const f of n.issued) {
      expect([r.tsm[f.user], r.mtps[f.user], r.se[f.user]]).toEqual([Reg.active, Reg.active, Reg.active])
      expect(r.mtpsSp[f.user]).toBe(f.viaGzt ? 1 : 2)
    }
    expect(violationsOf(n.flows)).toEqual(clean)
    const record = n.decisions.record()
    for (const party of [
      "bank-host",
      "gzt-tsm.orders",
      "gzt-tsm.hsm",
      "gzt-tsm.ota-sessions",
      "mtps",
      "telco-ota",
    ])
      expect(
        Object.values(record[party]!.decisions).some((v) => v > 0),
        party,
      ).toBe(true)
    expect(record.mtps!.decisions.route).toBeGreaterThanOrEqual(2 * n.issued.length)
    expect(record.mtps!.decisions.registry).toBe(n.issued.length)
  })

  it("compensation: a personalization the card refuses deletes the SSD the order made", () => {
    const n = network()
    n.card = { ok: false, cardUs: 0, reason: "ARQC key mismatch" }
    n.flows.start(3, "local-bank", true)
    runFor(n, 24)
    expect(n.issued).toEqual([])
    expect(n.abandoned.map((f) => f.state.phase)).toEqual(["compensated"])
    expect(n.abandoned[0]!.state.reason).toBe("card: ARQC key mismatch")
    const r = n.flows.registries
    // The SSD create-ssd made is gone from the SE, and the TSM knows it.
    expect(r.se[3]).toBe(Reg.deleted)
    expect(r.tsm[3]).toBe(Reg.deleted)
    expect(r.mtps[3]).toBe(Reg.none)
    expect(n.decisions.record()["gzt-tsm.orders"]!.errors["compensated: card: ARQC key mismatch"]).toBe(1)
    expect(violationsOf(n.flows)).toEqual(clean)
  })

  it("retries after an outage: a downed OTA bearer costs attempts, a downed MTPS parks the order", () => {
    const n = network()
    const bearer = n.flows.otaFaultTarget()
    bearer.setDown(true)
    n.flows.start(5, "local-bank", true)
    runFor(n, 0.25) // 15 min: the first attempt failed, the order backs off (10 min, then 20 min)
    expect(n.flows.inFlightOrders.get("1")!.attempts).toBeGreaterThanOrEqual(1)
    bearer.setDown(false)
    runFor(n, 6)
    expect(n.issued.map((f) => f.user)).toEqual([5])
    expect(n.issued[0]!.attempts).toBeGreaterThanOrEqual(1)
    expect(n.decisions.record()["telco-ota"]!.errors["bearer-down"]).toBeGreaterThanOrEqual(1)

    const mtps = n.flows.mtps.faultTarget()
    mtps.setDown(true)
    n.flows.start(6, "national-bank", false)
    runFor(n, 3)
    expect(n.issued.map((f) => f.user)).toEqual([5])
    expect(n.decisions.record()["gzt-tsm.orders"]!.errors["parked: party down"]).toBeGreaterThan(0)
    mtps.setDown(false)
    runFor(n, 6)
    expect(n.issued.map((f) => f.user)).toEqual([5, 6])
    // Parked while the hub was down: no attempt spent on it.
    expect(n.issued[1]!.attempts).toBe(0)
    expect(violationsOf(n.flows)).toEqual(clean)
  })

  it("a 挂失 lock reaches the SE and MTPS; a close after it retires the lost SE", () => {
    const n = network()
    n.flows.start(7, "local-bank", true)
    runFor(n, 12)
    n.flows.lock(7, true)
    runFor(n, 12)
    const r = n.flows.registries
    expect([r.tsm[7], r.mtps[7], r.se[7], r.life[7]]).toEqual([
      Reg.locked,
      Reg.locked,
      Reg.locked,
      Life.locked,
    ])
    expect(n.decisions.record()["bank-host"]!.decisions["hot-list"]).toBe(1)
    expect(violationsOf(n.flows)).toEqual(clean)
    n.flows.close(7, true, true)
    runFor(n, 12)
    expect([r.tsm[7], r.mtps[7], r.se[7], r.life[7]]).toEqual([
      Reg.deleted,
      Reg.deleted,
      Reg.deleted,
      Life.closed,
    ])
    expect(violationsOf(n.flows)).toEqual(clean)
  })

  it("a lock waits out a two-day bearer outage past attemptsMax, then reaches the SE", () => {
    const n = network()
    n.flows.start(8, "local-bank", true)
    runFor(n, 12)
    const bearer = n.flows.otaFaultTarget()
    bearer.setDown(true)
    n.flows.lock(8, true)
    runFor(n, 48)
    // Still pending, not given up: in flight, with far more failed attempts than attemptsMax (3).
    const r = n.flows.registries
    expect(r.inFlight[8]).toBe(1)
    expect(r.life[8]).toBe(Life.none)
    const pending = [...n.flows.inFlightOrders.values()].find((f) => f.user === 8)!
    expect(pending.kind).toBe("lock")
    expect(pending.attempts).toBeGreaterThan(3 * decoded.value.capacity.telcoOta.attemptsMax)
    expect(violationsOf(n.flows)).toEqual(clean)
    bearer.setDown(false)
    runFor(n, 6)
    expect([r.tsm[8], r.mtps[8], r.se[8], r.life[8], r.inFlight[8]]).toEqual([
      Reg.locked,
      Reg.locked,
      Reg.locked,
      Life.locked,
      0,
    ])
    expect(violationsOf(n.flows)).toEqual(clean)
  })
})

describe("SIM swap", () => {
  it("makes the card on the new SIM, moves the registries to it and retires the old SE", () => {
    const n = network()
    n.flows.start(9, "local-bank", true)
    n.flows.start(10, "national-bank", false)
    runFor(n, 12)
    const r = n.flows.registries
    // Only a card the TSM knows active is swapped: an unissued user's swap starts no order.
    expect(n.flows.simSwappable(11)).toBe(false)
    n.flows.simSwap(11, true)
    expect(n.flows.ordersStarted).toBe(2)
    for (const u of [9, 10]) n.flows.simSwap(u, u === 9)
    // Right after the swap the old SE is retired at its issuer and still registered at MTPS.
    expect([r.oldSe[9], r.oldMtps[9], r.se[9], r.mtps[9]]).toEqual([Reg.deleted, Reg.active, 0, 0])
    runFor(n, 12)
    for (const u of [9, 10]) {
      expect([r.tsm[u], r.mtps[u], r.se[u]], `user ${u}`).toEqual([Reg.active, Reg.active, Reg.active])
      expect([r.oldSe[u], r.oldMtps[u]], `user ${u}`).toEqual([Reg.deleted, Reg.deleted])
      expect([r.generation[u], r.issued[u], r.inFlight[u]]).toEqual([1, 2, 0])
    }
    expect(n.issued.map((f) => `${f.user}:${f.path}`)).toEqual([
      "9:local-bank",
      "10:national-bank",
      "9:sim-swap",
      "10:sim-swap",
    ])
    const record = n.decisions.record()
    expect(record.users!.decisions["sim-swap"]).toBe(3)
    expect(record["telco-ota"]!.decisions["retire swapped UICC"]).toBe(2)
    expect(violationsOf(n.flows)).toEqual(clean)
  })

  it("a swap whose new card fails still deregisters the old SE at MTPS", () => {
    const n = network()
    n.flows.start(12, "local-bank", true)
    runFor(n, 12)
    n.card = { ok: false, cardUs: 0, reason: "ARQC key mismatch" }
    n.flows.simSwap(12, true)
    runFor(n, 24)
    expect(n.abandoned.map((f) => `${f.path}:${f.state.phase}`)).toEqual(["sim-swap:compensated"])
    const r = n.flows.registries
    expect([r.oldSe[12], r.oldMtps[12], r.tsm[12], r.se[12]]).toEqual([
      Reg.deleted,
      Reg.deleted,
      Reg.deleted,
      Reg.deleted,
    ])
    expect(violationsOf(n.flows)).toEqual(clean)
  })
})

describe("issuance auditor sees each planted defect", () => {
  const issuedNetwork = () => {
    const n = network()
    for (let u = 0; u < 6; u++) n.flows.start(u, "local-bank", true)
    runFor(n, 24)
    n.flows.lock(1, true)
    runFor(n, 24)
    expect(violationsOf(n.flows)).toEqual(clean)
    return n
  }

  it("a flipped MTPS registry entry", () => {
    const n = issuedNetwork()
    n.flows.registries.mtps[2] = Reg.locked
    expect(violationsOf(n.flows)).toEqual({ ...clean, "issuance-registries-agree": 1 })
  })

  it("a duplicated issuance", () => {
    const n = issuedNetwork()
    n.flows.registries.issued[3]!++
    expect(violationsOf(n.flows)).toEqual({ ...clean, "no-double-issuance": 1 })
    const m = issuedNetwork()
    m.flows.start(4, "local-bank", true)
    m.flows.start(4, "local-bank", true)
    expect(violationsOf(m.flows)["no-double-issuance"]).toBeGreaterThanOrEqual(1)
  })

  it("a dropped order", () => {
    const n = issuedNetwork()
    n.flows.start(5, "reissue", true)
    n.flows.inFlightOrders.clear()
    expect(violationsOf(n.flows)["orders-terminal-or-in-flight"]).toBeGreaterThanOrEqual(1)
  })

  it("a lock order that ended failed", () => {
    const n = issuedNetwork()
    n.flows.registries.life[1] = Life.lockFailed
    expect(violationsOf(n.flows)).toEqual({ ...clean, "lock-close-reached-se": 1 })
  })

  const swappedNetwork = () => {
    const n = issuedNetwork()
    n.flows.simSwap(2, true)
    n.flows.simSwap(3, true)
    runFor(n, 24)
    expect(violationsOf(n.flows)).toEqual(clean)
    return n
  }

  it("a swap whose old SE keeps the card active", () => {
    const n = swappedNetwork()
    n.flows.registries.oldSe[2] = Reg.active
    expect(violationsOf(n.flows)).toEqual({ ...clean, "sim-swap-old-se-retired": 1 })
  })

  it("a swap whose old SE stays registered at MTPS", () => {
    const n = swappedNetwork()
    n.flows.registries.oldMtps[3] = Reg.active
    expect(violationsOf(n.flows)).toEqual({ ...clean, "sim-swap-old-se-retired": 1 })
  })

  it("a swap whose registry did not move to the new SE", () => {
    const n = swappedNetwork()
    n.flows.registries.mtps[2] = Reg.none
    expect(violationsOf(n.flows)).toEqual({ ...clean, "issuance-registries-agree": 1 })
  })

  it("a lock that did not reach the SE", () => {
    const n = issuedNetwork()
    n.flows.registries.se[1] = Reg.active
    n.flows.registries.tsm[1] = Reg.active
    n.flows.registries.mtps[1] = Reg.active
    expect(violationsOf(n.flows)).toEqual({ ...clean, "lock-close-reached-se": 1 })
  })
})
