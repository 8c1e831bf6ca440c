/**
 * report.html: one self-contained page per run (inline CSS, inline SVG, no script, no network),
 * readable from a file:// URL years later. Sections: identity (seed, digest, scenario hash), the
 * targets with pass/fail and margin, what held back each missed target, one chart per time-series
 * table (targets on a table's KPI columns drawn as reference lines: adoption vs targets), latency
 * percentiles per flow, utilisation per party, the fault timeline, invariants and every KPI.
 */

import { axisValue, formatCompact, formatPercentValue, monthLabel, monthTicks } from "./axis-text.ts"
import { escapeHtml, formatDurationUs, formatValue, simulatedDate } from "./format.ts"
import type { HeldBack } from "./held-back.ts"
import type { RunOutcome, SeriesTable } from "./run-outcome.ts"
import { barChart, timeline } from "./svg-bar-chart.ts"
import { lineChart, niceTicks } from "./svg-line-chart.ts"
import type { TargetResult } from "./targets.ts"

const US_PER_DAY = 86_400_000_000

export const REPORT_CSS = `body{font:14px/1.45 system-ui,sans-serif;margin:24px auto;max-width:980px;color:#222}
h1{font-size:22px}h2{font-size:17px;margin-top:28px;border-bottom:1px solid #ddd}
table{border-collapse:collapse;margin:8px 0}td,th{border:1px solid #ddd;padding:3px 8px;text-align:left}
td.num{text-align:right;font-variant-numeric:tabular-nums}.pass{color:#1a7f37;font-weight:600}.fail{color:#c62828;font-weight:600}.not-reached{color:#6b6b6b;font-style:italic}
code{font-size:12px;word-break:break-all}svg.chart{display:block;margin:8px 0;font-size:11px}svg .title{font-size:13px;font-weight:600}
p.held{background:#fff4f4;border-left:3px solid #c62828;padding:6px 10px}`

const row = (cells: ReadonlyArray<string>, tag = "td"): string =>
  `<tr>${cells.map((c) => (c.startsWith("<td") ? c : `<${tag}>${c}</${tag}>`)).join("")}</tr>`

const num = (text: string): string => `<td class="num">${text}</td>`

const identity = (o: RunOutcome): string =>
  `<table>${[
    ["scenario", escapeHtml(o.scenario)],
    ["kind", escapeHtml(o.kind)],
    ["status", escapeHtml(o.status)],
    ["seed", String(o.seed)],
    ["digest (SM3 of the event log)", `<code>${escapeHtml(o.digest ?? "(not final)")}</code>`],
    ["scenario hash (SHA-256)", `<code>${escapeHtml(o.scenarioHash)}</code>`],
    ["simulated", `${simulatedDate(o.startEpochS, 0)} → ${simulatedDate(o.startEpochS, o.simulatedEndUs)}`],
  ]
    .map(([k, v]) => row([k!, v!]))
    .join("")}</table>`

const targetTable = (results: ReadonlyArray<TargetResult>): string =>
  results.length === 0
    ? "<p>The scenario states no phase targets.</p>"
    : `<table>${row(["phase", "KPI", "target", "by", "value", "result", "margin"], "th")}${results
        .map((r) =>
          row([
            escapeHtml(r.phase),
            escapeHtml(r.kpi),
            `${r.bound === "atLeast" ? "≥" : "≤"} ${formatValue(r.target, r.unit)}`,
            r.byDay === null ? "end" : `day ${r.byDay}`,
            num(formatValue(r.value, r.unit)),
            `<td class="${r.result === "not reached" ? "not-reached" : r.result}">${r.result}</td>`,
            r.result === "not reached" ? "<td>—</td>" : num(formatValue(r.margin, r.unit)),
          ]),
        )
        .join("")}</table>`

/**
 * A series table as charts that each keep one scale: every column with targets gets its own chart
 * with its targets, the other columns share one chart per unit — counts and yuan never share an axis.
 */
const seriesCharts = (o: RunOutcome, table: SeriesTable): string => {
  const targeted = (name: string) => o.targets.some((t) => t.kpi === name)
  const groups: Array<{ title: string; columns: SeriesTable["columns"] }> = table.columns
    .filter((c) => targeted(c.name))
    .map((c) => ({ title: `${table.name}: ${c.name}`, columns: [c] }))
  const rest = table.columns.filter((c) => !targeted(c.name))
  for (const unit of new Set(rest.map((c) => c.unit)))
    groups.push({ title: table.name, columns: rest.filter((c) => c.unit === unit) })
  return groups.map((g) => seriesChart(o, table, g.title, g.columns)).join("")
}

const seriesChart = (
  o: RunOutcome,
  table: SeriesTable,
  title: string,
  columns: SeriesTable["columns"],
): string => {
  const unit = columns[0]?.unit ?? ""
  const references = o.targets
    .filter((t) => columns.some((c) => c.name === t.kpi))
    .map((t) => {
      const y = (t.atLeast ?? t.atMost)!
      // byDay counts the target's last day in (targets.ts reads the row at the end of it).
      const by =
        t.byDay === undefined ? "" : ` by ${simulatedDate(o.startEpochS, (t.byDay - 1) * US_PER_DAY)}`
      return { label: `${t.phase} ${t.atLeast === undefined ? "≤" : "≥"} ${formatCompact(y)}${by}`, y }
    })
  const lastDay = (table.rows.at(-1)?.[0] ?? 0) / US_PER_DAY
  const firstDay = (table.rows[0]?.[0] ?? 0) / US_PER_DAY
  return lineChart({
    title,
    xLabel: "simulated date (UTC)",
    yLabel: unit === "count" ? "count" : unit === "ratio" ? "utilisation" : unit,
    series: columns.map((c) => {
      const i = table.columns.indexOf(c)
      return {
        name: `${c.name} (${c.unit})`,
        points: table.rows.map((r) => ({ x: r[0]! / US_PER_DAY, y: r[i + 1]! })),
      }
    }),
    references,
    xTicks: monthTicks(o.startEpochS, firstDay, lastDay),
    formatX: (day) => monthLabel(o.startEpochS, day),
    formatY: axisValue(unit),
  })
}

const latencyChart = (o: RunOutcome): string =>
  o.latency.length === 0
    ? "<p>This kind records no per-flow latency.</p>"
    : barChart({
        title: "latency percentiles per flow",
        keys: ["p50", "p95", "p99"],
        groups: o.latency.map((l) => ({
          label: `${l.flow} (n=${l.count})`,
          values: [l.p50Us, l.p95Us, l.p99Us],
        })),
        format: formatDurationUs,
      })

const utilisationChart = (o: RunOutcome): string =>
  o.utilisation.length === 0
    ? "<p>This kind records no utilisation.</p>"
    : barChart({
        title: `utilisation per party (axis 0 – ${formatPercentValue(utilisationMax(o))})`,
        keys: ["mean", "peak"],
        groups: o.utilisation.map((u) => ({
          label: u.refused > 0 ? `${u.party} (${u.refused} refused)` : u.party,
          values: [u.meanRatio, u.peakRatio],
        })),
        // The axis ends just past the busiest party (a 0-100 % axis hides a 0.1 % bar); the title says so.
        format: formatPercentValue,
        max: utilisationMax(o),
      })

/** The utilisation axis' end: a round ratio just above the largest mean or peak. */
const utilisationMax = (o: RunOutcome): number => {
  const top = 1.1 * Math.max(1e-7, ...o.utilisation.flatMap((u) => [u.meanRatio, u.peakRatio]))
  const ticks = niceTicks(0, top)
  const step = ticks.length > 1 ? ticks[1]! - ticks[0]! : top
  return Math.min(1, Math.ceil(top / step) * step)
}

const faultChart = (o: RunOutcome): string =>
  timeline({
    title: "fault timeline",
    endUs: o.simulatedEndUs,
    windows: o.faults.map((f) => ({
      row: f.party,
      startUs: f.startUs,
      endUs: f.endUs,
      label: `${f.party} ${f.kind} ${formatDurationUs(f.endUs - f.startUs)}${f.affected === undefined ? "" : `, ${f.affected} affected`}`,
    })),
    formatX: (tUs) => simulatedDate(o.startEpochS, tUs),
  })

const invariantTable = (o: RunOutcome): string =>
  `<table>${row(["invariant", "checks", "violations"], "th")}${Object.entries(o.invariants)
    .map(([name, c]) =>
      row([
        escapeHtml(name),
        num(String(c.checks)),
        `<td class="num ${c.violations > 0 ? "fail" : "pass"}">${c.violations}</td>`,
      ]),
    )
    .join("")}</table>`

const kpiTable = (o: RunOutcome): string =>
  `<table>${row(["KPI", "value", "meaning"], "th")}${Object.entries(o.kpis)
    .map(([name, k]) =>
      row([`<code>${escapeHtml(name)}</code>`, num(formatValue(k.value, k.unit)), escapeHtml(k.label)]),
    )
    .join("")}</table>`

export const reportHtml = (
  o: RunOutcome,
  results: ReadonlyArray<TargetResult>,
  held: ReadonlyArray<HeldBack>,
): string => {
  const heldText =
    held.length === 0
      ? `<p>${results.length === 0 ? "No targets to miss." : results.every((r) => r.result === "pass") ? "Every target was met." : "Every target the run reached was met; the others' deadlines lie after its end (not reached)."}</p>`
      : held.map((h) => `<p class="held">${escapeHtml(h.text)}</p>`).join("")
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>tsm-twin run ${escapeHtml(o.scenario)} seed ${o.seed}</title>
<style>${REPORT_CSS}</style></head><body>
<h1>tsm-twin run: ${escapeHtml(o.scenario)}</h1>
<section id="identity">${identity(o)}</section>
<section id="targets"><h2>Targets</h2>${targetTable(results)}</section>
<section id="held-back"><h2>What held it back</h2>${heldText}</section>
<section id="series"><h2>Over time</h2>${o.series.map((t) => seriesCharts(o, t)).join("")}</section>
<section id="latency"><h2>Latency per flow</h2>${latencyChart(o)}</section>
<section id="utilisation"><h2>Utilisation per party</h2>${utilisationChart(o)}</section>
<section id="faults"><h2>Faults</h2>${faultChart(o)}</section>
<section id="invariants"><h2>Invariants</h2>${invariantTable(o)}</section>
<section id="kpis"><h2>All KPIs</h2>${kpiTable(o)}</section>
</body></html>
`
}
