/**
 * Proves the pilot's byte-level issuance over the air (byte-level/ota-issuance.ts): on the pilot's
 * issuance network with real cards, each OTA step of a byte-level order is charged exactly its
 * plan's part (bearer time + SE time) on every bearer — SMS-PP, BIP and HTTP admin, per the user's
 * SE and telco — and a degraded telco bearer slows that time by its latency factor as it slows the
 * background's; the OTA packets feed the event digest (one changed byte, another digest); and the
 * traced packets make a pcap that the real tshark decodes on each bearer — the SMS-PP ENVELOPEs
 * with the UDH information element 70, CAT-TP over UDP, the Amendment B HTTP messages — with no
 * malformed packet.
 */

import { spawnSync } from "node:child_process"
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join, resolve } from "node:path"
import { describe, expect, it } from "vitest"
import { nativeCrypto } from "../../../../../model/crypto/native-crypto.ts"
import { type OtaTraceDelivery, otaPcapFile } from "../../../../../model/ota/ota-pcap.ts"
import type { OtaBearerName } from "../../../../../model/parties/ota/ota-bearer.ts"
import { drawUserInto, emptyDraws, seTypeOf, telcoOf } from "../../../../../model/population/user.ts"
import {
  type IssuanceOtaStep,
  otaBearerOf,
  stepUs,
} from "../../../../../model/world/pilot/byte-level/ota-issuance.ts"
import {
  BYTES_TAG,
  ByteLevelCards,
  type CardWork,
} from "../../../../../model/world/pilot/byte-level-cards.ts"
import { IssuanceRegistries } from "../../../../../model/world/pilot/issuance/issuance-registries.ts"
import { type Flow, IssuanceFlows } from "../../../../../model/world/pilot/issuance-flows.ts"
import { PartyDecisions } from "../../../../../model/world/pilot/party-decisions.ts"
import { FAITHFUL_PARTIES } from "../../../../../model/world/pilot/pilot-party-layers.ts"
import { decodePilotScenario } from "../../../../../model/world/pilot/pilot-scenario.ts"
import { ServerPool } from "../../../../../model/world/pilot/server-pool.ts"
import { Kernel } from "../../../../../sim/kernel/kernel.ts"
import { makePort } from "../../../../../sim/kernel/port.ts"
import { EventDigest } from "../../../../../sim/recorder/digest.ts"
import { SignalBus } from "../../../../../sim/recorder/signals.ts"

const repoRoot = resolve(import.meta.dirname, "../../../../..")
const decoded = decodePilotScenario(
  JSON.parse(readFileSync(join(repoRoot, "scenarios/04-pilot-plan.json"), "utf8")),
)
if (!decoded.ok) throw new Error(decoded.message)
const population = decoded.population
const SEED = 11
const HOUR = 3_600_000_000
const BEARERS: ReadonlyArray<OtaBearerName> = ["sms-pp", "bip", "http-admin"]

/** The first `n` market users of each bearer (by their SE type and telco). */
const usersByBearer = (n: number): Record<OtaBearerName, number[]> => {
  const out: Record<OtaBearerName, number[]> = { "sms-pp": [], bip: [], "http-admin": [] }
  const draws = emptyDraws()
  for (let u = 0; BEARERS.some((b) => out[b].length < n); u++) {
    const d = drawUserInto(SEED, u, draws)
    const list = out[otaBearerOf(seTypeOf(population, d), telcoOf(population, d))]
    if (list.length < n) list.push(u)
  }
  return out
}

/** A card step as the SE issuer ran it: when its job started (MTPS's hand-over) and the card's work. */
interface CardStep {
  readonly user: number
  readonly step: IssuanceOtaStep
  readonly atHubUs: number
  readonly work: CardWork
  chargedUs: number
}

/**
 * The pilot's issuance network (national-bank orders: no OTA session pool, so a job ends exactly
 * its duration after MTPS hands it over) with every user byte-level on real cards. A job's start
 * is the "mtps" stage just before it; its end is `flow.jobEndUs` at the flow's next stage.
 */
const network = (latencyPermille: number) => {
  const kernel = new Kernel({ capacity: 1 << 12 })
  const port = makePort(kernel, SEED, new SignalBus(null))
  const capacity = decoded.value.capacity
  const cards = new ByteLevelCards(nativeCrypto, SEED, { population })
  const atHub = new Map<number, number>()
  const open = new Map<number, CardStep>()
  const steps: CardStep[] = []
  const flows = new IssuanceFlows(
    port,
    capacity,
    new ServerPool("bank-host", capacity.bankHost.servers),
    1 << 16,
    (slots) => new IssuanceRegistries(slots, population, SEED),
    port.stream("test.ota"),
    {
      byteLevel: () => true,
      begin: () => {},
      issue: (user, step) => {
        const work = cards.issue(user, 0, step)
        const s = { user, step, atHubUs: atHub.get(user)!, work, chargedUs: -1 }
        open.set(user, s)
        steps.push(s)
        return work
      },
    },
    new PartyDecisions(),
    { issued: () => {}, abandoned: () => {} },
    FAITHFUL_PARTIES,
  )
  flows.observer = (flow: Flow, stage, nowUs) => {
    const s = open.get(flow.user)
    if (s !== undefined) {
      s.chargedUs = flow.jobEndUs - s.atHubUs
      open.delete(flow.user)
    }
    if (stage === "mtps") atHub.set(flow.user, nowUs)
  }
  if (latencyPermille !== 1000)
    flows.otaFaultTarget().degrade({
      kind: "degradation",
      target: "telco-ota",
      startUs: 0,
      durationUs: 1_000 * HOUR,
      latencyPermille,
    })
  return { kernel, flows, cards, steps }
}

const charged = (latencyPermille: number, users: ReadonlyArray<number>) => {
  const n = network(latencyPermille)
  for (const u of users) n.flows.start(u, "national-bank", false)
  n.kernel.run(200 * HOUR)
  return n
}

describe("byte-level issuance over the air", () => {
  const byBearer = usersByBearer(2)
  const users = BEARERS.flatMap((b) => byBearer[b])

  it("charges each OTA step its plan's bearer time plus SE time, on SMS-PP, BIP and HTTP admin", () => {
    const n = charged(1000, users)
    expect(n.cards.tally.issued).toBe(users.length)
    expect(n.cards.tally.violations).toEqual([])
    for (const bearer of BEARERS) {
      const mine = n.steps.filter((s) => byBearer[bearer].includes(s.user))
      // Both steps of both cards, each with its own part of the plan.
      expect(mine.map((s) => s.step).sort()).toEqual([
        "create-ssd",
        "create-ssd",
        "personalize",
        "personalize",
      ])
      for (const s of mine) {
        expect(s.work.ota!.bearer).toBe(bearer)
        const t = s.work.ota!.steps[s.step]
        expect(t.bearerUs).toBeGreaterThan(0)
        expect(t.seUs).toBeGreaterThan(0)
        expect(s.chargedUs, `${bearer} ${s.step}`).toBe(t.bearerUs + t.seUs)
      }
      // The card's whole issuance time is its two steps.
      const work = mine[0]!.work
      expect(work.cardUs).toBe(
        stepUs(work.ota!.steps["create-ssd"], 1000) + stepUs(work.ota!.steps.personalize, 1000),
      )
    }
    expect(n.cards.tally.otaByBearer).toEqual({ "sms-pp": 2, bip: 2, "http-admin": 2 })
    // SMS-PP queues many SMS: far slower than BIP's few round trips.
    const mean = (b: OtaBearerName) =>
      n.steps.filter((s) => byBearer[b].includes(s.user)).reduce((m, s) => m + s.chargedUs, 0)
    expect(mean("sms-pp")).toBeGreaterThan(3 * mean("bip"))
  }, 120_000)

  it("a degraded telco bearer (scenario 09: 4× latency) slows the byte-level OTA time, not the SE's", () => {
    const nominal = charged(1000, users)
    const slow = charged(4000, users)
    expect(slow.steps.length).toBe(nominal.steps.length)
    for (const [i, s] of slow.steps.entries()) {
      const t = s.work.ota!.steps[s.step]
      // The same card, the same plan; only the bearer's part is four times longer.
      expect(t).toEqual(nominal.steps[i]!.work.ota!.steps[s.step])
      expect(s.chargedUs).toBe(4 * t.bearerUs + t.seUs)
      expect(s.chargedUs).toBeGreaterThan(3 * nominal.steps[i]!.chargedUs)
    }
  }, 120_000)

  it("folds every OTA packet into the digest: one changed OTA byte, another digest", () => {
    const user = byBearer.bip[0]!
    const run = (flipOta: boolean) => {
      const digest = new EventDigest()
      let otaRecords = 0
      const sink = {
        recordBytes: (timeUs: number, tag: number, bytes: Uint8Array) => {
          const b = bytes.slice()
          if (tag === BYTES_TAG.ota) {
            otaRecords++
            if (flipOta && otaRecords === 1) b[b.length - 1]! ^= 0x01
          }
          digest.recordBytes(timeUs, tag, b)
        },
      }
      const cards = new ByteLevelCards(nativeCrypto, SEED, { population, digest: sink })
      expect(cards.issue(user, 0).ok).toBe(true)
      expect(otaRecords).toBe(cards.tally.otaPackets)
      return digest.hex()
    }
    expect(run(false)).toBe(run(false))
    expect(run(true)).not.toBe(run(false))
  }, 60_000)

  it("writes the OTA packets as a pcap that tshark decodes on every bearer, with no malformed packet", () => {
    const deliveries: OtaTraceDelivery[] = []
    const cards = new ByteLevelCards(nativeCrypto, SEED, { population })
    cards.sinks.exchange = () => {}
    cards.sinks.otaDelivery = (_user, d) => deliveries.push(d)
    cards.sinks.traceCards = 3
    for (const b of BEARERS) expect(cards.issue(byBearer[b][0]!, 0).ok).toBe(true)
    expect(deliveries.map((d) => d.bearer)).toEqual([
      "sms-pp",
      "sms-pp",
      "bip",
      "bip",
      "http-admin",
      "http-admin",
    ])
    const file = join(mkdtempSync(join(tmpdir(), "ota-pcap-")), "ota.pcap")
    writeFileSync(file, otaPcapFile(deliveries))
    const tshark = (...args: string[]) => {
      const r = spawnSync("tshark", ["-r", file, "-d", "udp.port==9,cattp", ...args], { encoding: "utf8" })
      if (r.error !== undefined) throw new Error(`tshark could not run: ${r.error.message}`)
      expect(r.status, r.stderr).toBe(0)
      return r.stdout
    }
    const rows = tshark("-T", "fields", "-e", "frame.protocols").trim().split("\n")
    const frames = deliveries.reduce((n, d) => n + d.frames.length, 0)
    expect(rows).toHaveLength(frames)
    const sms = deliveries.filter((d) => d.bearer === "sms-pp").reduce((n, d) => n + d.frames.length, 0)
    expect(rows.filter((r) => r.includes("gsm_sim") && r.includes("gsm_sms"))).toHaveLength(sms)
    expect(rows.filter((r) => r.includes("cattp")).length).toBeGreaterThan(0)
    expect(rows.filter((r) => r.includes("http")).length).toBeGreaterThan(0)
    // SMS-PP: ENVELOPE (SMS-PP DOWNLOAD, INS C2) frames down to the SMS; each command packet's first
    // SMS carries the UDH IE 70 (a concatenated packet's first segment also IE 00, the rest IE 00 alone).
    const smsRows = tshark(
      "-Y",
      "gsm_sms",
      "-T",
      "fields",
      "-e",
      "gsm_sim.apdu.ins",
      "-e",
      "gsm_sms.ie_identifier",
    )
      .trim()
      .split("\n")
      .map((l) => l.split("\t"))
    expect(smsRows).toHaveLength(sms)
    expect(smsRows.every(([ins]) => ins === "0xc2")).toBe(true)
    expect(smsRows.every(([, ie]) => ie!.includes("0x70") || ie === "0x00")).toBe(true)
    expect(smsRows.filter(([, ie]) => ie!.includes("0x70")).length).toBeGreaterThanOrEqual(2)
    // HTTP admin: the Amendment B headers are there.
    const http = tshark("-Y", "http", "-T", "fields", "-e", "http.request.method", "-e", "http.response.code")
    expect(http).toContain("POST")
    expect(http).toContain("200")
    expect(http).toContain("204")
    const admin = tshark(
      "-Y",
      'http.request.line contains "X-Admin-Protocol"',
      "-T",
      "fields",
      "-e",
      "frame.number",
    )
    expect(admin.trim()).not.toBe("")
    expect(
      tshark(
        "-Y",
        "_ws.malformed || _ws.expert.severity >= error",
        "-T",
        "fields",
        "-e",
        "frame.number",
      ).trim(),
    ).toBe("")
    // Every CAT-TP PDU's checksum is good in Wireshark's own check (status 1 "Good").
    const cattp = rows.filter((r) => r.includes("cattp")).length
    expect(
      tshark("-Y", "cattp.checksum.status == 1", "-T", "fields", "-e", "frame.number").trim().split("\n"),
    ).toHaveLength(cattp)
  }, 60_000)
})
