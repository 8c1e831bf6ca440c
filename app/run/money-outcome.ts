/**
 * The money run as a `RunOutcome` for the report and the sweeps (app/report/run-outcome.ts).
 * `MoneyRecorder` is a signal sink passed in `MoneyOptions.sinks`: it counts finished flows and
 * their value per simulated day, and times online authorizations from "opened" to the issuer's
 * answer (approved or declined) per issuing bank. The money world has no capacity model yet, so
 * its utilisation table is empty; its fault plan's windows become the fault timeline.
 */

import { nativeCrypto } from "../../model/crypto/native-crypto.ts"
import { PILOT_START_S } from "../../model/host/pki/pilot-pki.ts"
import { type AuthSignal, type FlowSignal, MONEY_SIGNAL } from "../../model/signals/money-signals.ts"
import { type MoneyStart, type MoneySummary, startMoney } from "../../model/world/money/money-run.ts"
import { type MoneyScenario, moneyFaultsOf } from "../../model/world/money/money-scenario.ts"
import type { MoneyFaults } from "../../model/world/money/money-world.ts"
import type { RecordLine, Sink } from "../../sim/recorder/sink.ts"
import { FlowLatencies } from "../report/flow-latency.ts"
import type { FaultWindow, Kpi, PhaseTarget, RunOutcome } from "../report/run-outcome.ts"

const US_PER_DAY = 86_400_000_000

export class MoneyRecorder implements Sink {
  readonly auths = new FlowLatencies()
  /** Day index → [flows, flows ok, value ok in fen]. */
  private readonly days = new Map<number, [number, number, number]>()

  write(record: RecordLine): void {
    const tUs = record.tUs as number
    if (record.signal === MONEY_SIGNAL.flow) {
      const f = record.payload as FlowSignal
      const day = Math.floor(tUs / US_PER_DAY)
      const row = this.days.get(day) ?? [0, 0, 0]
      this.days.set(day, row)
      row[0]++
      if (f.ok) {
        row[1]++
        row[2] += f.amountFen
      }
      return
    }
    if (record.signal !== MONEY_SIGNAL.auth) return
    const a = record.payload as AuthSignal
    if (a.state === "opened") this.auths.opened(a.id, `authorization at ${a.issuer}`, tUs)
    else if (a.state === "approved" || a.state === "declined") this.auths.ended(a.id, tUs, true)
  }

  flush(): void {}
  close(): void {}

  /** One row per day that saw traffic, at the day's end: flows, ok, value (fen). */
  dailyRows(): number[][] {
    return [...this.days]
      .sort(([a], [b]) => a - b)
      .map(([day, [n, ok, fen]]) => [(day + 1) * US_PER_DAY, n, ok, fen])
  }
}

const faultsOf = (faults: MoneyFaults | undefined): FaultWindow[] => [
  ...(faults?.hostTimeout === undefined
    ? []
    : [
        {
          party: faults.hostTimeout.bank,
          kind: "host timeout",
          startUs: faults.hostTimeout.startUs,
          endUs: faults.hostTimeout.endUs,
        },
      ]),
  ...(faults?.hostDown === undefined
    ? []
    : [
        {
          party: faults.hostDown.bank,
          kind: "host down",
          startUs: faults.hostDown.startUs,
          endUs: faults.hostDown.endUs,
        },
      ]),
  ...(faults?.unionpayOutage === undefined
    ? []
    : [
        {
          party: "unionpay",
          kind: "outage",
          startUs: faults.unionpayOutage.startUs,
          endUs: faults.unionpayOutage.endUs,
        },
      ]),
]

/** A money scenario's world started with the recorder its outcome reads (the CLI's and the sweeps' run). */
export const startMoneyScenario = (
  sc: MoneyScenario,
  seed: number,
): { readonly start: MoneyStart; readonly recorder: MoneyRecorder; readonly faults: MoneyFaults } => {
  const recorder = new MoneyRecorder()
  const faults = moneyFaultsOf(sc)
  const start = startMoney({
    seed,
    crypto: nativeCrypto,
    transactions: sc.transactions,
    cardsPerBank: sc.cardsPerBank,
    days: sc.days,
    faults,
    sinks: [recorder],
  })
  return { start, recorder, faults }
}

export interface MoneyOutcomeMeta {
  readonly scenario: string
  readonly scenarioHash: string
  readonly status: string
  readonly targets: ReadonlyArray<PhaseTarget>
  readonly faults: MoneyFaults | undefined
  readonly endUs: number
}

export const moneyOutcome = (s: MoneySummary, r: MoneyRecorder, meta: MoneyOutcomeMeta): RunOutcome => {
  const rows = r.dailyRows()
  const kinds = Object.values(s.perKind)
  const flows = kinds.reduce((n, k) => n + k.count, 0)
  const ok = kinds.reduce((n, k) => n + k.ok, 0)
  const valueFen = kinds.reduce((n, k) => n + k.valueFen, 0)
  const auth = r.auths.table()
  const authCount = auth.reduce((n, a) => n + a.count, 0)
  const k = (value: number, unit: string, label: string): Kpi => ({ value, unit, label })
  const violations = s.audit.violations.length + s.ledgerMismatches.length
  return {
    scenario: meta.scenario,
    kind: "money",
    seed: s.seed,
    scenarioHash: meta.scenarioHash,
    startEpochS: PILOT_START_S,
    status: meta.status,
    digest: s.digest,
    simulatedEndUs: meta.endUs,
    kpis: {
      transactions: k(flows, "count", "flows finished, every kind"),
      transactionsOk: k(ok, "count", "flows that succeeded"),
      transactionSuccessRatio: k(flows === 0 ? Number.NaN : ok / flows, "ratio", "ok / finished"),
      valueFen: k(valueFen, "fen", "value moved by successful flows"),
      authLatencyUsMean: k(
        authCount === 0 ? Number.NaN : auth.reduce((n, a) => n + a.meanUs * a.count, 0) / authCount,
        "µs",
        "online authorization, opened → answered, mean over issuers",
      ),
      discrepancies: k(s.discrepancies.length, "count", "差错 discrepancies reconciliation found"),
      fraudFlags: k(s.fraud, "count", "cards flagged as clones"),
      invariantViolations: k(violations, "count", "money audit violations and ledger mismatches"),
    },
    targets: meta.targets,
    invariants: { "money audit": { checks: s.audit.checks, violations } },
    series: [
      {
        name: "transactions per day",
        columns: [
          { name: "transactionsPerDay", unit: "count" },
          { name: "transactionsOkPerDay", unit: "count" },
        ],
        rows: rows.map((row) => [row[0]!, row[1]!, row[2]!]),
      },
      {
        name: "value per day",
        columns: [{ name: "valuePerDayFen", unit: "fen" }],
        rows: rows.map((row) => [row[0]!, row[3]!]),
      },
    ],
    latency: auth,
    utilisation: [],
    faults: faultsOf(meta.faults),
    diagnostics: [],
  }
}
