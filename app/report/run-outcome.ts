/**
 * What every scenario kind hands to the report and sweep machinery (DESIGN.md §4 "Outputs"): one
 * small, plain-data interface, so the report, the CSV files and the sweeps never learn what an
 * issuance or a payment is. A kind's adapter (app/run/issuance-outcome.ts,
 * app/run/money-outcome.ts, later the pilot) builds a `RunOutcome` from its run; the
 * report evaluates targets and derives "what held it back" from the diagnostics here, never from
 * prose about particular numbers.
 *
 * Times are simulated µs from the scenario's start; `startEpochS` places them on the calendar.
 * Everything must survive `JSON.stringify` and structured cloning (sweeps pass KPIs between
 * threads).
 */

/** A scalar the run measured, with its unit; sweeps aggregate these. */
export interface Kpi {
  readonly value: number
  /** "count", "ratio", "µs", "fen", "per-day", ... */
  readonly unit: string
  readonly label: string
}

/** One phase target as the scenario states it (app/report/targets.ts decodes them). */
export interface PhaseTarget {
  readonly phase: string
  /** The KPI it is about; a name in `RunOutcome.kpis`. */
  readonly kpi: string
  readonly atLeast?: number | undefined
  readonly atMost?: number | undefined
  /** The day (from the start) by which it must hold; absent: at the end of the run. */
  readonly byDay?: number | undefined
}

/**
 * A time series table: `tUs` plus named columns, each with its unit (becomes one CSV file). A
 * column named like a KPI must hold that KPI's running value: targets with a `byDay` read it.
 */
export interface SeriesTable {
  readonly name: string
  readonly columns: ReadonlyArray<{ readonly name: string; readonly unit: string }>
  /** Rows of [tUs, ...one value per column]. */
  readonly rows: ReadonlyArray<ReadonlyArray<number>>
}

/** Latency percentiles of one flow kind, in µs. */
export interface FlowLatency {
  readonly flow: string
  readonly count: number
  readonly meanUs: number
  readonly p50Us: number
  readonly p95Us: number
  readonly p99Us: number
  readonly maxUs: number
}

/** How busy a party's servers (HSMs, processors) were; ratios in [0, 1]. */
export interface PartyUtilisation {
  readonly party: string
  readonly meanRatio: number
  readonly peakRatio: number
  /** Requests the party turned away because it was saturated. */
  readonly refused: number
}

/** A fault window of the plan (outage, timeout storm, corrupted file) and what it cost. */
export interface FaultWindow {
  readonly party: string
  readonly kind: string
  readonly startUs: number
  readonly endUs: number
  /** Requests lost or refused during the window, when the kind knows. */
  readonly affected?: number
}

/**
 * A limit the adapter observed, in data: "what held it back" is written from these. The report
 * adds capacity diagnostics from `utilisation` and outage diagnostics from `faults` itself.
 */
export type Diagnostic =
  | {
      readonly kind: "adoption-ceiling"
      /** KPIs this limit bears on. */
      readonly kpis: ReadonlyArray<string>
      readonly subject: string
      /** The most the population could reach and what it reached. */
      readonly ceiling: number
      readonly reached: number
      /** The phase this ceiling is assessed for; absent: every phase. */
      readonly phase?: string
    }
  | {
      /** A competing channel from a day on: fewer imitators (adoption) and less use per card. */
      readonly kind: "competition"
      readonly kpis: ReadonlyArray<string>
      readonly subject: string
      readonly fromDay: number
      readonly imitationFactor: number
      readonly activityFactor: number
    }
  | {
      readonly kind: "capacity-bottleneck"
      readonly kpis: ReadonlyArray<string>
      readonly subject: string
      readonly meanRatio: number
      readonly peakRatio: number
      readonly refused: number
    }
  | {
      readonly kind: "outage"
      readonly kpis: ReadonlyArray<string>
      readonly subject: string
      readonly downUs: number
      readonly windows: number
      readonly affected: number
    }
  | {
      /** Byte-level flows the receiving party refused on their bytes (issue 12 item 3). */
      readonly kind: "byte-level-refusals"
      readonly kpis: ReadonlyArray<string>
      readonly subject: string
      /** Flows refused, and by reason. */
      readonly refused: number
      readonly reasons: Readonly<Record<string, number>>
      /** The share of the KPI's byte-level flows they were. */
      readonly share: number
    }

export interface RunMeta {
  readonly scenario: string
  readonly kind: string
  readonly seed: number
  readonly scenarioHash: string
  /** The calendar instant of simulated time 0, in Unix seconds. */
  readonly startEpochS: number
}

/** What one party of the network did in a run (pilot runs, issue 12): decisions, errors, load. */
export interface PartyActivity {
  /** Decisions by kind ("order-step", "route", "authorize", ...). */
  readonly decisions: Readonly<Record<string, number>>
  /** Errors by cause ("refused", "timed-out", "declined: hot-listed", ...). */
  readonly errors: Readonly<Record<string, number>>
  /** Its servers' mean and peak utilisation; null for a party without servers. */
  readonly meanRatio: number | null
  readonly peakRatio: number | null
}

export interface RunOutcome extends RunMeta {
  readonly status: string
  readonly digest: string | null
  readonly simulatedEndUs: number
  readonly kpis: Readonly<Record<string, Kpi>>
  readonly targets: ReadonlyArray<PhaseTarget>
  /** Invariant name → checks made and violations found. */
  readonly invariants: Readonly<Record<string, { readonly checks: number; readonly violations: number }>>
  readonly series: ReadonlyArray<SeriesTable>
  readonly latency: ReadonlyArray<FlowLatency>
  readonly utilisation: ReadonlyArray<PartyUtilisation>
  readonly faults: ReadonlyArray<FaultWindow>
  readonly diagnostics: ReadonlyArray<Diagnostic>
  /** Per party of the network (pilot runs): what it decided and how loaded it was. */
  readonly parties?: Readonly<Record<string, PartyActivity>>
  /** How much of the run was byte-level (pilot runs): users, cards, transactions, crypto counts. */
  readonly fidelity?: Readonly<Record<string, number>>
}

/** The KPIs as plain numbers (what a sweep replication returns). */
export const kpiNumbers = (outcome: RunOutcome): Record<string, number> =>
  Object.fromEntries(Object.entries(outcome.kpis).map(([name, kpi]) => [name, kpi.value]))
