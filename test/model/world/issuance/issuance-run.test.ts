// Proves that issuance runs on real cards are deterministic per seed, keep every invariant, and
// survive MTPS and telco outages (orders wait, retry, then complete or compensate), and that
// forged and replayed MTPS envelopes are rejected at the TSM.
import { describe, expect, it } from "vitest"
import { nativeCrypto } from "../../../../model/crypto/native-crypto.ts"
import { hashEntropy } from "../../../../model/host/pki/entropy.ts"
import { PILOT_START_S } from "../../../../model/host/pki/pilot-pki.ts"
import { EnvelopeSealer } from "../../../../model/parties/messages/envelope-sealer.ts"
import { decodeIssuanceScenario } from "../../../../model/world/issuance/issuance-scenario.ts"
import { runIssuance, SCENARIO_PARTIES } from "../../../../model/world/issuance/run-issuance.ts"
import { buildWorld } from "../../../../model/world/issuance/world.ts"
import { MemorySink } from "../../../../sim/recorder/memory-sink.ts"
import { smallScenario } from "./small-scenario.ts"

const small = smallScenario

const violations = (run: ReturnType<typeof runIssuance>) =>
  Object.values(run.audit.counts).reduce((n, c) => n + c.violations, 0)

describe("issuance runs", () => {
  it("gives the same digest for the same seed and another for another seed, with no violation", () => {
    const a = runIssuance(small(), 7, nativeCrypto)
    const b = runIssuance(small(), 7, nativeCrypto)
    const c = runIssuance(small(), 8, nativeCrypto)
    expect(a.digest).toBe(b.digest)
    expect(c.digest).not.toBe(a.digest)
    expect(violations(a)).toBe(0)
    expect(a.audit.counts.registry.checks).toBeGreaterThan(40)
    // Links duplicated some envelopes; every second copy was rejected as a replay, and only that.
    const rejected = [...a.world.institutions.values()].flatMap((i) => [...i.rejected])
    expect(rejected.length).toBeGreaterThan(0)
    for (const [verdict] of rejected) expect(verdict).toBe("replayed")
    const flows = Object.fromEntries(a.driver.flows)
    for (const kind of ["lock:done", "reissue:done", "close:done", "sim-swap:done"])
      expect(flows[kind]).toBeGreaterThan(0)
    // Cards were made on every form factor: NFC-SIMs of the telcos, NFC-SD and embedded SEs.
    for (const issuer of ["nfcsd", "ese", "cmcc"] as const)
      expect(a.driver.cardsBySeIssuer.get(issuer)).toBeGreaterThan(0)
  }, 60_000)

  it("rejects the bad scenario with the JSON path", () => {
    const d = decodeIssuanceScenario({ ...small(), users: -1, mtpsOutages: [{ startMinute: "x" }] })
    expect(d.ok).toBe(false)
    if (!d.ok)
      expect(d.message).toMatch(/\["users"\][\s\S]*\["mtpsOutages"\]|\["mtpsOutages"\][\s\S]*\["users"\]/)
  })

  it("waits out an MTPS outage and a telco outage: orders retry and end, no invariant violated", () => {
    // Every issuance is asked for in the first 3 hours; MTPS is down for the first 2 hours and
    // China Mobile's TSM for hours 2-3, so the first attempts of most orders are lost.
    const sc = small({
      issueWindowDays: 1,
      mtpsOutages: [{ startMinute: 0, durationMinutes: 120 }],
      seIssuerOutages: [{ issuer: "cmcc", window: { startMinute: 120, durationMinutes: 60 } }],
    })
    const run = runIssuance({ ...sc, issueWindowDays: 1 }, 3, nativeCrypto)
    expect(violations(run)).toBe(0)
    expect(run.world.mtps.dropped).toBeGreaterThan(0)
    const ended = [...run.driver.flows].filter(([k]) => k.startsWith("issue.")).reduce((n, [, v]) => n + v, 0)
    expect(ended).toBe(40)
  }, 60_000)

  it("refuses with a retryable 'busy' when MTPS is saturated; the orders back off and complete", () => {
    // One MTPS server taking 300 s per envelope with room for one waiting: 40 users' orders within
    // a day overlap often enough that senders get ErrorReport "busy" and retry after a backoff.
    const sc = small({
      issueWindowDays: 1,
      mtpsServers: 1,
      mtpsServiceUs: 300_000_000,
      mtpsQueueMax: 1,
      stepTimeoutSeconds: 3600,
    })
    const run = runIssuance(sc, 11, nativeCrypto)
    expect(run.world.mtps.refusedBusy).toBeGreaterThan(0)
    expect(violations(run)).toBe(0)
    const ended = [...run.driver.flows].filter(([k]) => k.startsWith("issue.")).reduce((n, [, v]) => n + v, 0)
    expect(ended).toBe(40)
    // Finished steps cancelled their timeouts: nothing but idle is left in the heap at the end.
    expect(run.world.kernel.pending).toBe(0)
  }, 60_000)

  it("rejects a revoked SP-TSM's envelopes at MTPS; its orders end without breaking an invariant", () => {
    // CCB's SP-TSM certificate is revoked at the MTPS CA at the end of day 1: every later envelope
    // it signs is rejected as "revoked" (the verifiers look the serial up at the CA), so its 挂失,
    // 补卡 and 销户 orders time out, retry and end failed or compensated.
    const sc = smallScenario({ selfServicePermille: 0, localBankPermille: 0, nonLocalBankPermille: 1000 })
    const run = runIssuance(sc, 6, nativeCrypto, (day, partial) => {
      if (day !== 1) return
      const { ca } = partial.world.pki
      ca.revoke(ca.certificateOf("ccb-sp-tsm")!.serial, PILOT_START_S + 86_400)
    })
    expect(run.world.institutions.get("mtps")!.rejected.get("revoked")).toBeGreaterThan(0)
    expect(violations(run)).toBe(0)
    const failedLater = [...run.driver.flows]
      .filter(([k]) => !k.startsWith("issue.") && !k.endsWith(":done"))
      .reduce((n, [, v]) => n + v, 0)
    expect(failedLater).toBeGreaterThan(0)
  }, 60_000)

  it("compensates when personalization never completes: the SSD made for it is deleted from the card", () => {
    // The wallet channel answers after 200 s, beyond the 90 s step timeout, so every
    // personalization attempt times out after the telco has created the SSD.
    const sc = small({
      users: 12,
      selfServicePermille: 500,
      localBankPermille: 500,
      nonLocalBankPermille: 0,
      lossPermille: 0,
      closePermille: 0,
      retryAttemptsMax: 2,
      retryBackoffSecondsMax: 20,
      walletLatency: { msMin: 200_000, msMax: 200_000 },
    })
    const run = runIssuance(sc, 5, nativeCrypto)
    expect(violations(run)).toBe(0)
    const flows = [...run.driver.flows]
    const compensated = flows.filter(([k]) => k.endsWith(":compensated")).reduce((n, [, v]) => n + v, 0)
    expect(compensated).toBe(12)
    // The registry check after each compensated order compared an SE without the SSD.
    expect(run.audit.counts.registry.checks).toBe(12)
  }, 60_000)
})

describe("envelopes at the TSM", () => {
  it("rejects a forged MTPS message and a replayed one with the shared verifier's verdicts", () => {
    const sink = new MemorySink()
    const world = buildWorld(small(), 1, nativeCrypto, [sink], SCENARIO_PARTIES)
    const { ca, keys } = world.pki
    const mtpsSerial = ca.certificateOf("mtps")!.serial
    const sealer = (key: "mtps" | "gzt-tsm", purpose: string) =>
      new EnvelopeSealer({
        crypto: nativeCrypto,
        institutionId: "mtps",
        key: keys.get(key)!,
        certificateSerial: mtpsSerial,
        entropy: hashEntropy(nativeCrypto, purpose),
      })
    const message = { _tag: "Acknowledgement", acknowledgedNonce: "00".repeat(16) } as const
    const nowUs = PILOT_START_S * 1_000_000
    const genuine = sealer("mtps", "genuine").seal("gzt-tsm", "o-1", message, nowUs)
    // Forged: names MTPS and MTPS's certificate, but is signed with the 贵州通 TSM's own key.
    const forged = sealer("gzt-tsm", "forged").seal("gzt-tsm", "o-1", message, nowUs)
    world.gzt.receive(forged)
    world.gzt.receive(genuine)
    world.gzt.receive(genuine)
    const verdicts = sink.records
      .filter((r) => r.signal === "envelope.rejected")
      .map((r) => (r.payload as { verdict: string }).verdict)
    expect(verdicts).toEqual(["forged", "replayed"])
    expect(world.institutions.get("gzt-tsm")!.rejected).toEqual(
      new Map([
        ["forged", 1],
        ["replayed", 1],
      ]),
    )
  })
})
