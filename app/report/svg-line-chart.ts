/**
 * A line chart rendered as an inline SVG string, so report.html and sweep.html need no script and
 * no network (DESIGN.md §4: self-contained). Series may carry 95 % confidence half-widths, drawn
 * as error bars, and horizontal reference lines (phase targets). Axis ticks are "nice" numbers.
 */
import { escapeHtml } from "./format.ts"

export interface LinePoint {
  readonly x: number
  readonly y: number
  /** Half-width of a confidence interval around y, drawn as an error bar. */
  readonly ci?: number
}

export interface LineSeries {
  readonly name: string
  readonly points: ReadonlyArray<LinePoint>
  readonly dashed?: boolean
}

export interface LineChartSpec {
  readonly title: string
  readonly xLabel: string
  readonly yLabel: string
  readonly series: ReadonlyArray<LineSeries>
  /** Horizontal reference lines, e.g. a phase target. */
  readonly references?: ReadonlyArray<{ readonly label: string; readonly y: number }>
  /** A vertical marker, e.g. the knee of a capacity curve. */
  readonly marker?: { readonly label: string; readonly x: number }
  readonly formatX?: (x: number) => string
  /** A y tick's label; `step` is the distance between ticks (for the decimals it needs). */
  readonly formatY?: (y: number, step: number) => string
  /** The x ticks to draw (e.g. month starts); default: about five round numbers. */
  readonly xTicks?: ReadonlyArray<number>
}

export const PALETTE = [
  "#1f77b4",
  "#d62728",
  "#2ca02c",
  "#ff7f0e",
  "#9467bd",
  "#8c564b",
  "#e377c2",
  "#17becf",
]
const W = 720
const H = 300
const M = { left: 76, right: 40, top: 34, bottom: 64 }

/** About five round tick values covering [lo, hi]. */
export const niceTicks = (lo: number, hi: number, count = 5): number[] => {
  if (!(Number.isFinite(lo) && Number.isFinite(hi))) return []
  if (hi === lo) return [lo]
  const raw = (hi - lo) / count
  const magnitude = 10 ** Math.floor(Math.log10(raw))
  const step = ([1, 2, 5, 10].find((f) => f * magnitude >= raw) ?? 10) * magnitude
  const ticks: number[] = []
  for (let t = Math.ceil(lo / step) * step; t <= hi + step * 1e-9; t += step)
    ticks.push(Number(t.toPrecision(12)))
  return ticks
}

const extent = (values: ReadonlyArray<number>): [number, number] => {
  const finite = values.filter(Number.isFinite)
  if (finite.length === 0) return [0, 1]
  const lo = Math.min(...finite)
  const hi = Math.max(...finite)
  return lo === hi ? [lo - 1, hi + 1] : [lo, hi]
}

const scales = (spec: LineChartSpec) => {
  const points = spec.series.flatMap((s) => s.points)
  const [x0, x1] = extent(points.map((p) => p.x))
  const ys = points.flatMap((p) =>
    p.ci !== undefined && Number.isFinite(p.ci) ? [p.y - p.ci, p.y + p.ci] : [p.y],
  )
  const [yLo, y1] = extent([...ys, ...(spec.references ?? []).map((r) => r.y)])
  // Quantities here are counts, durations and ratios: the axis starts at zero unless values go below.
  const y0 = Math.min(yLo, 0)
  const sx = (x: number) => M.left + ((x - x0) / (x1 - x0)) * (W - M.left - M.right)
  const sy = (y: number) => H - M.bottom - ((y - y0) / (y1 - y0)) * (H - M.top - M.bottom)
  return { x0, x1, y0, y1, sx, sy }
}

const axes = (spec: LineChartSpec, s: ReturnType<typeof scales>): string => {
  const fx = spec.formatX ?? String
  const fy = spec.formatY ?? String
  const xTicks = (spec.xTicks ?? niceTicks(s.x0, s.x1))
    .map(
      (t) =>
        `<line x1="${s.sx(t)}" y1="${H - M.bottom}" x2="${s.sx(t)}" y2="${H - M.bottom + 5}" stroke="#555"/>` +
        `<text x="${s.sx(t)}" y="${H - M.bottom + 18}" text-anchor="middle">${escapeHtml(fx(t))}</text>`,
    )
    .join("")
  const yValues = niceTicks(s.y0, s.y1)
  const step = yValues.length > 1 ? yValues[1]! - yValues[0]! : 0
  const yTicks = yValues
    .map(
      (t) =>
        `<line x1="${M.left}" y1="${s.sy(t)}" x2="${W - M.right}" y2="${s.sy(t)}" stroke="#eee"/>` +
        `<text x="${M.left - 6}" y="${s.sy(t) + 4}" text-anchor="end">${escapeHtml(fy(t, step))}</text>`,
    )
    .join("")
  return (
    yTicks +
    xTicks +
    `<line x1="${M.left}" y1="${H - M.bottom}" x2="${W - M.right}" y2="${H - M.bottom}" stroke="#555"/>` +
    `<line x1="${M.left}" y1="${M.top}" x2="${M.left}" y2="${H - M.bottom}" stroke="#555"/>` +
    `<text x="${(M.left + W - M.right) / 2}" y="${H - M.bottom + 36}" text-anchor="middle">${escapeHtml(spec.xLabel)}</text>` +
    `<text transform="translate(14 ${(M.top + H - M.bottom) / 2}) rotate(-90)" text-anchor="middle">${escapeHtml(spec.yLabel)}</text>`
  )
}

const seriesPath = (series: LineSeries, color: string, s: ReturnType<typeof scales>): string => {
  const pts = series.points.filter((p) => Number.isFinite(p.y))
  const d = pts
    .map((p, i) => `${i === 0 ? "M" : "L"}${s.sx(p.x).toFixed(1)} ${s.sy(p.y).toFixed(1)}`)
    .join("")
  const dash = series.dashed === true ? ` stroke-dasharray="6 4"` : ""
  const bars = pts
    .filter((p) => p.ci !== undefined && Number.isFinite(p.ci))
    .map((p) => {
      const x = s.sx(p.x).toFixed(1)
      const lo = s.sy(p.y - p.ci!).toFixed(1)
      const hi = s.sy(p.y + p.ci!).toFixed(1)
      return `<path class="ci" d="M${x} ${lo}V${hi}M${Number(x) - 4} ${lo}h8M${Number(x) - 4} ${hi}h8" stroke="${color}"/>`
    })
    .join("")
  const dots =
    pts.length <= 40
      ? pts
          .map(
            (p) =>
              `<circle cx="${s.sx(p.x).toFixed(1)}" cy="${s.sy(p.y).toFixed(1)}" r="2.5" fill="${color}"/>`,
          )
          .join("")
      : ""
  return `<path d="${d}" fill="none" stroke="${color}" stroke-width="2"${dash}/>${bars}${dots}`
}

const legend = (spec: LineChartSpec): string =>
  spec.series
    .map((series, i) => {
      // Four entries a row, two rows below the x label; more series than that crowd the chart.
      const x = M.left + (i % 4) * 160
      const y = H - 12 + Math.floor(i / 4) * 12
      return `<rect x="${x}" y="${y - 9}" width="12" height="4" fill="${PALETTE[i % PALETTE.length]}"/><text x="${x + 16}" y="${y - 4}">${escapeHtml(series.name)}</text>`
    })
    .join("")

/** Dashed reference lines, their labels stacked downwards so that close targets stay readable. */
const referenceLines = (spec: LineChartSpec, s: ReturnType<typeof scales>): string => {
  const placed: number[] = []
  return [...(spec.references ?? [])]
    .sort((a, b) => b.y - a.y)
    .map((r) => {
      let labelY = s.sy(r.y) - 4
      for (const other of placed) if (Math.abs(labelY - other) < 12) labelY = other + 12
      placed.push(labelY)
      return (
        `<line x1="${M.left}" y1="${s.sy(r.y)}" x2="${W - M.right}" y2="${s.sy(r.y)}" stroke="#888" stroke-dasharray="3 3"/>` +
        `<text x="${W - M.right - 4}" y="${labelY}" text-anchor="end" fill="#555">${escapeHtml(r.label)}</text>`
      )
    })
    .join("")
}

/** The chart as an `<svg>` element string (role="img" with the title as its accessible name). */
export const lineChart = (spec: LineChartSpec): string => {
  const s = scales(spec)
  const refs = referenceLines(spec, s)
  const marker =
    spec.marker === undefined
      ? ""
      : `<line class="knee" x1="${s.sx(spec.marker.x)}" y1="${M.top}" x2="${s.sx(spec.marker.x)}" y2="${H - M.bottom}" stroke="#000" stroke-dasharray="2 4"/>` +
        `<text x="${s.sx(spec.marker.x) + 4}" y="${M.top + 12}">${escapeHtml(spec.marker.label)}</text>`
  const lines = spec.series.map((series, i) => seriesPath(series, PALETTE[i % PALETTE.length]!, s)).join("")
  return (
    `<svg class="chart" role="img" aria-label="${escapeHtml(spec.title)}" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" xmlns="http://www.w3.org/2000/svg">` +
    `<text x="${M.left}" y="20" class="title">${escapeHtml(spec.title)}</text>` +
    `${axes(spec, s)}${refs}${lines}${marker}${legend(spec)}</svg>`
  )
}
