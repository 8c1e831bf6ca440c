/**
 * The pilot run as a RunOutcome (app/report/run-outcome.ts): the four phase KPIs with a
 * daily series the report reads targets from, the phase targets at the run's scale, issuance
 * latency per flow path, utilisation per party, the fault windows, and the adoption-ceiling
 * diagnostic from the population's own projection (model/population/projection.ts). Capacity and
 * outage diagnostics the report derives from the utilisation and fault tables itself.
 */
import { daysFromIso } from "../../model/calendar/civil-calendar.ts"
import { assessTargets, projectDaily } from "../../model/population/projection.ts"
import { PILOT_PARTIES, UTILISATION_PARTIES } from "../../model/world/network.ts"
import { hsmIssuanceUs } from "../../model/world/pilot/hsm-model.ts"
import { FLOW_PATHS } from "../../model/world/pilot/issuance-flows.ts"
import { PHASE_COLUMNS, type PilotRunState } from "../../model/world/pilot/pilot-run.ts"
import { partyMeters } from "../../model/world/pilot/pilot-world.ts"
import { scaledCount } from "../../model/world/pilot/scaled-population.ts"
import type {
  Diagnostic,
  Kpi,
  PartyActivity,
  PartyUtilisation,
  PhaseTarget,
  RunOutcome,
} from "../report/run-outcome.ts"

const PHASE_KPIS = ["cards", "apps", "transactions", "valueYuan"] as const

export interface OutcomeMeta {
  readonly scenario: string
  readonly seed: number
  readonly scenarioHash: string
  readonly status: string
}

/** The phase targets at the run's scale, one per KPI and phase, due at the end of the phase's day. */
export const targetsOf = (s: PilotRunState): PhaseTarget[] => {
  const w = s.world
  const zero = daysFromIso(w.population.timeZeroDate)
  return w.scenario.phases.flatMap((ph) => {
    const byDay = daysFromIso(ph.endDate) - zero + 1
    const at = {
      cards: scaledCount(ph.cards, w.scale),
      apps: ph.apps,
      transactions: scaledCount(ph.transactions, w.scale),
      valueYuan: ph.valueYuan * w.scale,
    }
    return PHASE_KPIS.map((kpi) => ({ phase: ph.phase, kpi, atLeast: at[kpi], byDay }))
  })
}

const adoptionCeilings = (s: PilotRunState): Diagnostic[] => {
  const w = s.world
  const zero = daysFromIso(w.population.timeZeroDate)
  const phases = w.scenario.phases.filter((ph) => daysFromIso(ph.endDate) - zero < s.phaseRows.length)
  const assessed = assessTargets(
    w.population,
    projectDaily(w.population, w.run.curve, w.run.demand),
    phases.map((ph) => ({
      endDate: ph.endDate,
      cards: scaledCount(ph.cards, w.scale),
      transactions: 0,
      valueYuan: 0,
    })),
  )
  // Every assessed phase, binding or not: the report weighs the ceiling against diffusion speed.
  return assessed.map((a, i): Diagnostic => {
    const row = s.phaseRows[daysFromIso(a.target.endDate) - zero]
    return {
      kind: "adoption-ceiling",
      kpis: ["cards"],
      phase: phases[i]!.phase,
      subject: `the users with a supported NFC handset who would take a card (${w.population.name})`,
      ceiling: Math.round(a.ceilingCards),
      reached: row?.[1] ?? 0,
    }
  })
}

/** The population's competing channel (QR-code wallets from 2016 in pilot-realistic), if any. */
const competition = (s: PilotRunState): Diagnostic[] => {
  const c = s.world.population.competition
  if (c === undefined) return []
  return [
    {
      kind: "competition",
      kpis: ["cards", "transactions", "valueYuan"],
      subject: "QR-code wallets",
      fromDay: daysFromIso(c.fromDate) - daysFromIso(s.world.population.timeZeroDate),
      imitationFactor: c.imitationFactor,
      activityFactor: c.activityFactor,
    },
  ]
}

const kpi = (value: number, unit: string, label: string): Kpi => ({ value, unit, label })

const kpisOf = (s: PilotRunState): Record<string, Kpi> => {
  const w = s.world
  const t = w.totals
  const last = s.phaseRows.at(-1) ?? [0, 0, 0, 0, 0, 0, 0]
  const all = w.flows.latency
  const local = all.get("local-bank")!
  const campaign = all.get("campaign")!
  const gzt = campaign.count > 0 ? campaign : local
  return {
    cards: kpi(
      t.cards,
      "count",
      "cards issued into SEs, cumulative first issuances (the phase targets' cards compare this)",
    ),
    cardsActive: kpi(t.cardsHeldCounted, "count", "cards active now (issued, not lost or closed)"),
    apps: kpi(last[2]!, "count", "applications in service: published by the TSM with an SP under contract"),
    transactions: kpi(t.transactions, "count", "completed transactions"),
    valueYuan: kpi(t.valueFen / 100, "yuan", "value of completed transactions"),
    reissued: kpi(t.reissued, "count", "补卡 reissues completed"),
    losses: kpi(t.losses, "count", "挂失 loss reports"),
    simSwaps: kpi(t.simSwaps, "count", "SIM swaps completed: the card re-issued OTA onto the new SIM"),
    issuancesAbandoned: kpi(w.flows.abandoned, "count", "issuance orders abandoned"),
    transactionsFailed: kpi(
      t.transactionsFailed,
      "count",
      "transactions declined, refused or timed out (causes in parties' errors)",
    ),
    clearingCycles: kpi(
      w.payments.cycles,
      "count",
      "daily clearing and settlement cycles (one per simulated business day)",
    ),
    issuanceLatencyMeanUs: kpi(
      gzt.count === 0 ? 0 : gzt.summary().mean,
      "µs",
      "mean issuance latency through the 贵州通 TSM",
    ),
    issuanceLatencyP95Us: kpi(
      gzt.count === 0 ? 0 : gzt.quantile(0.95),
      "µs",
      "p95 issuance latency through the 贵州通 TSM",
    ),
    hsmUtilisation: kpi(
      w.flows.hsm.meanRatio(w.kernel.nowUs),
      "ratio",
      "mean utilisation of the TSM's HSM pool",
    ),
    hsmPeakHourUtilisation: kpi(
      w.flows.hsm.peakHourRatio,
      "ratio",
      "utilisation of the TSM's HSM pool in its busiest hour",
    ),
    hsmIssuanceUs: kpi(hsmIssuanceUs(w.scenario.capacity.tsm), "µs", "HSM time per issuance"),
    byteLevelCards: kpi(w.cards.tally.issued, "count", "cards issued byte-level (real APDUs and crypto)"),
    byteLevelTransactions: kpi(w.cards.tally.transactions, "count", "transactions run byte-level"),
    sm2Signatures: kpi(w.cryptoCounts.sm2Sign, "count", "SM2 signatures computed"),
    sm2Verifications: kpi(w.cryptoCounts.sm2Verify, "count", "SM2 verifications computed"),
    events: kpi(w.kernel.eventsProcessed, "count", "kernel events processed"),
  }
}

/** The summary's and report's block per party with servers (model/world/network.ts). */
const utilisationOf = (s: PilotRunState) => {
  const elapsed = s.world.kernel.nowUs
  const meters = partyMeters(s.world)
  return UTILISATION_PARTIES.map(({ key, id }) => {
    const m = meters[key]
    return {
      party: id,
      meanRatio: m.meanRatio(elapsed),
      // The busiest hour (issue 12 item 6): a bottleneck shows where it bites.
      peakRatio: m.peakHourRatio,
      refused: m.refused + m.timedOut,
    }
  })
}

/**
 * One block per party of the network declaration, in its order: the decisions and errors the
 * party's own code counted, and its servers' utilisation when it has servers.
 */
const partiesOf = (s: PilotRunState): Record<string, PartyActivity> => {
  const counted = s.world.decisions.record()
  const load = new Map<string, PartyUtilisation>(utilisationOf(s).map((u) => [u.party, u]))
  const out: Record<string, PartyActivity> = {}
  for (const p of PILOT_PARTIES) {
    const u = load.get(p.id)
    out[p.id] = {
      decisions: counted[p.id]?.decisions ?? {},
      errors: counted[p.id]?.errors ?? {},
      meanRatio: u?.meanRatio ?? null,
      peakRatio: u?.peakRatio ?? null,
    }
  }
  return out
}

export const pilotOutcome = (s: PilotRunState, meta: OutcomeMeta): RunOutcome => {
  const w = s.world
  return {
    scenario: meta.scenario,
    kind: "pilot",
    seed: meta.seed,
    scenarioHash: meta.scenarioHash,
    status: meta.status,
    startEpochS: daysFromIso(w.population.timeZeroDate) * 86_400,
    digest: meta.status === "complete" ? w.digest.hex() : null,
    simulatedEndUs: w.kernel.nowUs,
    kpis: kpisOf(s),
    targets: targetsOf(s),
    invariants: s.invariants,
    series: [
      { name: "phase-kpis", columns: PHASE_COLUMNS, rows: s.phaseRows },
      {
        name: "utilisation",
        columns: UTILISATION_PARTIES.map((p) => ({ name: p.id, unit: "ratio" })),
        rows: s.utilisationRows,
      },
    ],
    latency: FLOW_PATHS.flatMap((flow) => {
      const h = w.flows.latency.get(flow)!
      if (h.count === 0) return []
      const m = h.summary()
      return [
        {
          flow: `issuance.${flow}`,
          count: m.count,
          meanUs: m.mean,
          p50Us: m.p50,
          p95Us: m.p95,
          p99Us: m.p99,
          maxUs: m.max,
        },
      ]
    }),
    utilisation: utilisationOf(s),
    // The report has outages only: a degradation is listed as one, under its party's name marked
    // "(degraded)", as it was before the windows carried their kind (report/held-back.ts).
    faults: w.faultWindows.map((f) => ({
      party: f.kind === "degraded" ? `${f.party} (degraded)` : f.party,
      kind: "outage",
      startUs: f.startUs,
      endUs: f.endUs < 0 ? w.kernel.nowUs : f.endUs,
    })),
    diagnostics: [...adoptionCeilings(s), ...competition(s), ...byteLevelRefusals(s)],
    parties: partiesOf(s),
    fidelity: fidelityOf(s),
  }
}

/**
 * How much of the run was byte-level and what its bytes proved (issue 12 item 8): users, cards,
 * transactions, the SM2 signatures and verifications of the envelope chain (and the PKI), the
 * ARQCs the issuers verified of the online requests the cards sent, the TCs verified at
 * presentment, the APDUs exchanged and the simulated card time charged, and what the issuances
 * sent over the air (byte-level/ota-issuance.ts): OTA packets (secured command packets or HTTP
 * admin messages) and their bytes, the bytes on the bearer both ways, issuances per bearer.
 */
export const fidelityOf = (s: PilotRunState) => {
  const w = s.world
  const c = w.cards
  const t = c.tally
  return {
    byteLevelFraction: w.scenario.fidelity.byteLevelFraction,
    byteLevelUsers: w.byteLevelUsers,
    byteLevelCards: t.issued,
    cardsIssued: w.totals.cards + w.totals.reissued + w.totals.simSwaps,
    byteLevelIssuancesFailed: w.totals.byteLevelIssuancesFailed,
    byteLevelTransactions: t.transactions,
    transactions: w.totals.transactions,
    byteLevelDeclined: w.totals.byteLevelDeclined,
    envelopes: c.chain.counts.signed,
    envelopesRejected: c.chain.counts.rejected,
    sm2Signatures: w.cryptoCounts.sm2Sign,
    sm2Verifications: w.cryptoCounts.sm2Verify,
    arqcVerified: c.issuers.arqcVerified,
    onlineTransactions: c.issuers.onlineRequests,
    tcPresented: c.issuers.tcPresented,
    tcVerified: c.issuers.tcVerified,
    apdus: t.apdus,
    issuanceCardUsMean: t.issued === 0 ? 0 : Math.round(t.issuanceCardUs / t.issued),
    otaPackets: t.otaPackets,
    otaBytes: t.otaBytes,
    otaBearerBytes: t.otaBearerBytes,
    otaIssuancesSmsPp: t.otaByBearer["sms-pp"],
    otaIssuancesBip: t.otaByBearer.bip,
    otaIssuancesHttpAdmin: t.otaByBearer["http-admin"],
    tapCardUsMean: t.transactions === 0 ? 0 : Math.round(t.tapCardUs / t.transactions),
  }
}

/** Byte-level flows refused on their bytes, by reason: payments (transactions KPIs) and issuances (cards). */
const byteLevelRefusals = (s: PilotRunState): Diagnostic[] => {
  const t = s.world.cards.tally
  const out: Diagnostic[] = []
  const declines = Object.entries(t.failed).filter(
    ([r]) => !r.includes("envelope") && !r.startsWith("personalization"),
  )
  const issuance = Object.entries(t.failed).filter(
    ([r]) => r.includes("envelope") || r.startsWith("personalization"),
  )
  const add = (subject: string, kpis: string[], rows: Array<[string, number]>, of: number) => {
    const refused = rows.reduce((n, [, k]) => n + k, 0)
    if (refused > 0)
      out.push({
        kind: "byte-level-refusals",
        kpis,
        subject,
        refused,
        reasons: Object.fromEntries(rows),
        share: refused / Math.max(1, of),
      })
  }
  add("the issuers' authorization hosts", ["transactions", "valueYuan"], declines, t.transactions)
  add(
    "the envelope chain (bank → TSM → MTPS → SE issuer)",
    ["cards"],
    issuance,
    t.issued + s.world.totals.byteLevelIssuancesFailed,
  )
  return out
}
