/**
 * The viewer demo: a small queueing model of a TSM order pipeline, for the live viewer to show
 * until the pilot's scenarios exist. It is NOT the pilot: parties are plain M/M/c stations
 * (sim/kernel/resource.ts) with made-up service times, each simulated issuance stands for
 * `cardsPerIssuance` cards and each simulated transaction for `transactionsPerJob` transactions,
 * and only one issuance in `traceEvery` runs a real card (model/host/card-story/) so the inspector
 * has real APDUs to show. The phase targets are the pilot's own (DESIGN.md §1), so the KPI panel
 * has something true to measure against.
 */
import type { Fault } from "../../../sim/faults/fault-plan.ts"
import { US_PER_DAY, US_PER_HOUR, US_PER_SECOND } from "../../../sim/kernel/time.ts"

export interface DemoParty {
  readonly key: string
  readonly label: string
  /** Topology column: 0 users and terminals, 1 platforms, 2 hubs and hosts, 3 issuers of SEs. */
  readonly tier: number
  /** Servers; 0 marks a source (it only sends). */
  readonly servers: number
  readonly serviceUsMean: number
  readonly queueMax: number
  readonly sendsTo: ReadonlyArray<string>
}

/** A rate that holds until `untilUs` (simulated µs from the run's start). */
export interface RatePhase {
  readonly untilUs: number
  readonly perDay: number
}

export interface KpiTargets {
  readonly key: "cards" | "apps" | "transactions" | "volume"
  readonly label: string
  readonly unit: string
  readonly targets: ReadonlyArray<number>
}

/** A fault the viewer's panel can inject: starts at the instant of the command. */
export interface CatalogueFault {
  readonly id: string
  readonly title: string
  readonly fault: (startUs: number) => Fault
}

export interface DemoSpec {
  readonly id: string
  readonly title: string
  readonly parties: ReadonlyArray<DemoParty>
  readonly issuancePath: ReadonlyArray<string>
  readonly transactionPath: ReadonlyArray<string>
  readonly issuanceRates: ReadonlyArray<RatePhase>
  readonly transactionRates: ReadonlyArray<RatePhase>
  readonly cardsPerIssuance: number
  readonly transactionsPerJob: number
  readonly amountYuanMean: number
  /** Days after the start on which a new app goes live (the "apps" KPI). */
  readonly appLaunchDays: ReadonlyArray<number>
  readonly phases: ReadonlyArray<{ readonly name: string; readonly deadlineUs: number }>
  readonly kpis: ReadonlyArray<KpiTargets>
  /** Faults scheduled by the scenario itself. */
  readonly faults: ReadonlyArray<Fault>
  readonly catalogue: ReadonlyArray<CatalogueFault>
  readonly traceEvery: number
  readonly tracedFlowsMax: number
  readonly sampleEveryUs: number
  readonly endUs: number
}

/** 2014-08-01 00:00 UTC, the pilot's start, as µs since the Unix epoch. */
export const DEMO_EPOCH_US = 1_406_851_200 * US_PER_SECOND

/** Phase deadlines: the ends of 2015-07, 2016-07 (2016 is a leap year) and 2017-07. */
const PHASES = [
  { name: "2015-07", deadlineUs: 365 * US_PER_DAY },
  { name: "2016-07", deadlineUs: 731 * US_PER_DAY },
  { name: "2017-07", deadlineUs: 1096 * US_PER_DAY },
] as const

const party = (
  key: string,
  label: string,
  tier: number,
  servers: number,
  serviceSeconds: number,
  queueMax: number,
  sendsTo: ReadonlyArray<string>,
): DemoParty => ({
  key,
  label,
  tier,
  servers,
  serviceUsMean: serviceSeconds * US_PER_SECOND,
  queueMax,
  sendsTo,
})

const PARTIES: ReadonlyArray<DemoParty> = [
  party("wallet", "wallet apps", 0, 0, 0, 0, ["tsm"]),
  party("pos", "merchant POS", 0, 0, 0, 0, ["unionpay"]),
  party("tsm", "贵州通 TSM", 1, 2, 240, 2000, ["mtps"]),
  party("unionpay", "UnionPay switch", 1, 1, 300, 1000, ["bank"]),
  party("mtps", "MTPS hub", 2, 1, 120, 500, ["telco"]),
  party("bank", "issuer bank host", 2, 1, 600, 1000, []),
  party("telco", "telco SE issuer (OTA)", 3, 2, 600, 1000, []),
]

const outage =
  (target: string, days: number) =>
  (startUs: number): Fault => ({ kind: "outage", target, startUs, durationUs: days * US_PER_DAY })

const CATALOGUE: ReadonlyArray<CatalogueFault> = [
  { id: "mtps-outage-7d", title: "MTPS hub outage, 7 days", fault: outage("mtps", 7) },
  { id: "telco-outage-2d", title: "telco OTA outage, 2 days", fault: outage("telco", 2) },
  { id: "bank-outage-1d", title: "bank host outage, 1 day", fault: outage("bank", 1) },
  {
    id: "tsm-degraded-30d",
    title: "TSM down to 1 server, 30 days",
    fault: (startUs) => ({
      kind: "degradation",
      target: "tsm",
      startUs,
      durationUs: 30 * US_PER_DAY,
      capacity: 1,
    }),
  },
]

const BASELINE: DemoSpec = {
  id: "demo-01-baseline",
  title: "viewer demo 01: TSM order queue, baseline (not the pilot)",
  parties: PARTIES,
  issuancePath: ["wallet", "tsm", "mtps", "telco"],
  transactionPath: ["pos", "unionpay", "bank"],
  // The pilot's card targets over 10 cards per job, with a 10 % margin.
  issuanceRates: [
    { untilUs: PHASES[0].deadlineUs, perDay: 60 },
    { untilUs: PHASES[1].deadlineUs, perDay: 150 },
    { untilUs: PHASES[2].deadlineUs, perDay: 241 },
  ],
  transactionRates: [
    { untilUs: PHASES[0].deadlineUs, perDay: 60 },
    { untilUs: PHASES[2].deadlineUs, perDay: 90 },
  ],
  cardsPerIssuance: 10,
  transactionsPerJob: 100,
  amountYuanMean: 11_000,
  appLaunchDays: [
    20, 45, 60, 90, 120, 150, 180, 210, 250, 280, 320, 400, 430, 460, 490, 520, 560, 600, 630, 660, 700, 720,
    760, 800, 830, 860, 900, 930, 960, 1000, 1030, 1060,
  ],
  phases: PHASES,
  kpis: [
    { key: "cards", label: "cards in SEs", unit: "cards", targets: [200_000, 700_000, 1_500_000] },
    { key: "apps", label: "apps live", unit: "apps", targets: [10, 20, 30] },
    { key: "transactions", label: "transactions", unit: "tx", targets: [2_000_000, 5_000_000, 8_000_000] },
    { key: "volume", label: "volume", unit: "yuan", targets: [20e9, 50e9, 80e9] },
  ],
  faults: [],
  catalogue: CATALOGUE,
  traceEvery: 400,
  tracedFlowsMax: 400,
  sampleEveryUs: 6 * US_PER_HOUR,
  endUs: PHASES[2].deadlineUs,
}

/** The demo's scenario catalogue, numbered as DESIGN.md §4 asks; none of them is the pilot. */
export const DEMO_SPECS: ReadonlyArray<DemoSpec> = [
  BASELINE,
  {
    ...BASELINE,
    id: "demo-02-mtps-outage",
    title: "viewer demo 02: 40-day MTPS outage before the first deadline (not the pilot)",
    faults: [{ kind: "outage", target: "mtps", startUs: 320 * US_PER_DAY, durationUs: 40 * US_PER_DAY }],
  },
  {
    ...BASELINE,
    id: "demo-03-thin-telco",
    title: "viewer demo 03: one OTA server at the telco (not the pilot)",
    parties: PARTIES.map((p) => (p.key === "telco" ? { ...p, servers: 1 } : p)),
  },
]

export const demoSpec = (id: string): DemoSpec | undefined => DEMO_SPECS.find((s) => s.id === id)
