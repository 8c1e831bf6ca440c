/**
 * A synthetic run outcome for report tests: two targets (one met, one missed), a saturated party
 * and an idle one, an outage before and one after the missed target's day, and an adoption
 * ceiling on the missed KPI. Every figure is chosen here, so tests can state what the report
 * must say without running a simulation.
 */
import type { RunOutcome } from "../../../app/report/run-outcome.ts"

const DAY = 86_400_000_000

export const outcomeFixture = (rows = 3, over: Partial<RunOutcome> = {}): RunOutcome => ({
  scenario: "fixture",
  kind: "test",
  seed: 7,
  scenarioHash: "ab".repeat(32),
  startEpochS: 1_406_851_200,
  status: "complete",
  digest: "cd".repeat(32),
  simulatedEndUs: rows * DAY,
  kpis: {
    cardsIssued: { value: 500, unit: "count", label: "cards" },
    issueLatencyUsP95: { value: 2_000_000, unit: "µs", label: "p95" },
  },
  targets: [
    { phase: "phase 1", kpi: "cardsIssued", atLeast: 300, byDay: 2 },
    { phase: "phase 2", kpi: "issueLatencyUsP95", atMost: 5_000_000 },
  ],
  invariants: { "money conserved": { checks: 10, violations: 0 } },
  series: [
    {
      name: "adoption",
      columns: [{ name: "cardsIssued", unit: "count" }],
      rows: Array.from({ length: rows }, (_, i) => [(i + 1) * DAY, 100 * (i + 1)]),
    },
  ],
  latency: [
    { flow: "issue via gzt-tsm", count: 9, meanUs: 1e6, p50Us: 8e5, p95Us: 2e6, p99Us: 3e6, maxUs: 3e6 },
  ],
  utilisation: [
    { party: "gzt-tsm HSM", meanRatio: 0.9, peakRatio: 1, refused: 12 },
    { party: "mtps", meanRatio: 0.1, peakRatio: 0.2, refused: 0 },
  ],
  faults: [
    { party: "mtps", kind: "outage", startUs: DAY / 2, endUs: DAY / 2 + 1_800_000_000, affected: 4 },
    { party: "cmcc-tsm", kind: "outage", startUs: 2.5 * DAY, endUs: 2.6 * DAY },
  ],
  diagnostics: [
    { kind: "adoption-ceiling", kpis: ["cardsIssued"], subject: "the users", ceiling: 210, reached: 200 },
  ],
  ...over,
})
