/**
 * The sweep folder: `sweep.json` (the plan, every KPI's mean and 95 % interval per grid point, the
 * knees), `sweep.csv` (one row per grid point and KPI: the point's values, n, mean, half-width,
 * low, high) and `sweep.html` (self-contained: one chart per KPI against the first varied path,
 * error bars for the intervals, the knee marked and explained in a sentence).
 */
import { mkdirSync } from "node:fs"
import { join, resolve } from "node:path"
import { writeJsonAtomically, writeTextAtomically } from "../report/atomic-json.ts"
import { csvLine } from "../report/csv-writer.ts"
import { escapeHtml, formatNumber, formatValue, unitOfKpiName } from "../report/format.ts"
import { REPORT_CSS } from "../report/report-html.ts"
import { lineChart } from "../report/svg-line-chart.ts"
import type { KpiCurve, SweepResult } from "./sweep-result.ts"

export interface SweepMeta {
  readonly scenario: string
  readonly scenarioHash: string
  /** A cluster sweep's id (`--resume`/`--status` take it); absent for a local sweep. */
  readonly sweepId?: string
}

export const sweepCsv = (r: SweepResult): string =>
  csvLine([...r.paths, "kpi", "n", "mean", "halfWidth95", "low95", "high95"]) +
  r.points
    .flatMap((p) =>
      Object.entries(p.kpis).map(([kpi, c]) =>
        csvLine([
          ...r.paths.map((path) => String(p.point[path])),
          kpi,
          c.n,
          c.mean,
          c.halfWidth95,
          c.mean - c.halfWidth95,
          c.mean + c.halfWidth95,
        ]),
      ),
    )
    .join("")

const kneeSentence = (c: KpiCurve, xPath: string, unit: string): string => {
  if (c.knee === null)
    return `No knee: along ${xPath} the curve stays within 5 % of a straight line (or has fewer than three points).`
  const i = c.knee.index
  const after = c.knee.marginalShares.slice(i).reduce((a, b) => a + b, 0)
  return (
    `Knee at ${xPath} = ${formatNumber(c.knee.x)} (${c.kpi} ${formatValue(c.knee.y, unit)}): ` +
    `the steps up to it made ${formatNumber((1 - after) * 100)} % of the change, the steps beyond ${formatNumber(after * 100)} %.`
  )
}

const curveSection = (c: KpiCurve, xPath: string, unit: string): string => {
  const chart = lineChart({
    title: `${c.kpi}${c.fixed === "" ? "" : ` (${c.fixed})`}`,
    xLabel: xPath,
    yLabel: `${c.kpi} (${unit})`,
    series: [
      {
        name: "mean ± 95 % CI",
        points: c.xs.map((x, i) => ({ x, y: c.values[i]!.mean, ci: c.values[i]!.halfWidth95 })),
      },
    ],
    ...(c.knee === null ? {} : { marker: { label: "knee", x: c.knee.x } }),
    formatX: formatNumber,
    formatY: (y) => formatValue(y, unit),
  })
  return `<section class="kpi" data-kpi="${escapeHtml(c.kpi)}">${chart}<p>${escapeHtml(kneeSentence(c, xPath, unit))}</p></section>`
}

export const sweepHtml = (r: SweepResult, meta: SweepMeta): string => {
  const xPath = r.paths[0] ?? ""
  const sections = r.curves.map((c) => curveSection(c, xPath, unitOfKpiName(c.kpi))).join("")
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>tsm-twin sweep ${escapeHtml(meta.scenario)}</title>
<style>${REPORT_CSS}</style></head><body>
<h1>tsm-twin sweep: ${escapeHtml(meta.scenario)}</h1>
<table><tr><td>varied</td><td>${escapeHtml(r.paths.join(", "))}</td></tr>
<tr><td>grid points</td><td>${r.points.length}</td></tr>
<tr><td>replications per point</td><td>${r.replications} (seeds ${escapeHtml(r.seeds.join(", "))}, the same at every point)</td></tr>
<tr><td>scenario hash (SHA-256)</td><td><code>${escapeHtml(meta.scenarioHash)}</code></td></tr></table>
<p>Each chart shows a KPI's mean over the replications with its 95 % confidence interval (Student t). The knee is the
point farthest from the chord between the curve's ends after scaling both axes to [0, 1] (Kneedle).</p>
${sections || "<p>No numeric varied path, so no curves.</p>"}
</body></html>
`
}

export const writeSweepFolder = (out: string, r: SweepResult, meta: SweepMeta): string => {
  const folder = resolve(out)
  mkdirSync(folder, { recursive: true })
  writeJsonAtomically(join(folder, "sweep.json"), { ...meta, ...r })
  writeTextAtomically(join(folder, "sweep.csv"), sweepCsv(r))
  writeTextAtomically(join(folder, "sweep.html"), sweepHtml(r, meta))
  return folder
}
