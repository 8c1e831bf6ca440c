/**
 * Horizontal grouped bars and a fault timeline as inline SVG strings (see svg-line-chart.ts for
 * why the report draws its own charts). Bars serve latency percentiles per flow and utilisation
 * per party; the timeline shows each fault window on the run's time axis, one row per party.
 */
import { escapeHtml } from "./format.ts"
import { niceTicks, PALETTE } from "./svg-line-chart.ts"

export interface BarGroup {
  readonly label: string
  /** One value per entry of `BarChartSpec.keys`. */
  readonly values: ReadonlyArray<number>
}

export interface BarChartSpec {
  readonly title: string
  readonly keys: ReadonlyArray<string>
  readonly groups: ReadonlyArray<BarGroup>
  readonly format: (value: number) => string
  /** The axis maximum; default: the largest value. */
  readonly max?: number
}

const W = 720
const LEFT = 180
const RIGHT = 70
const BAR = 12

/** One group's bars (one per key) with their values, and the group's label left of them. */
const barRow = (spec: BarChartSpec, g: BarGroup, y0: number, sx: (v: number) => number): string => {
  const bars = g.values
    .map((v, ki) => {
      const y = y0 + ki * BAR
      const w = Number.isFinite(v) ? sx(v) - LEFT : 0
      return (
        `<rect x="${LEFT}" y="${y}" width="${w.toFixed(1)}" height="${BAR - 2}" fill="${PALETTE[ki % PALETTE.length]}"><title>${escapeHtml(`${g.label} ${spec.keys[ki]}: ${spec.format(v)}`)}</title></rect>` +
        `<text x="${(LEFT + w + 4).toFixed(1)}" y="${y + BAR - 3}">${escapeHtml(spec.format(v))}</text>`
      )
    })
    .join("")
  return `<text x="${LEFT - 8}" y="${y0 + (spec.keys.length * BAR) / 2 + 4}" text-anchor="end">${escapeHtml(g.label)}</text>${bars}`
}

export const barChart = (spec: BarChartSpec): string => {
  const rowH = spec.keys.length * BAR + 10
  const h = 50 + spec.groups.length * rowH + 30
  const finite = spec.groups.flatMap((g) => g.values).filter(Number.isFinite)
  const max = spec.max ?? Math.max(1e-9, ...finite)
  const sx = (v: number) => LEFT + (Math.max(0, Math.min(v, max)) / max) * (W - LEFT - RIGHT)
  const ticks = niceTicks(0, max)
    .map(
      (t) =>
        `<line x1="${sx(t)}" y1="40" x2="${sx(t)}" y2="${h - 30}" stroke="#eee"/>` +
        `<text x="${sx(t)}" y="${h - 16}" text-anchor="middle">${escapeHtml(spec.format(t))}</text>`,
    )
    .join("")
  const rows = spec.groups.map((g, gi) => barRow(spec, g, 44 + gi * rowH, sx)).join("")
  const legend = spec.keys
    .map(
      (k, i) =>
        `<rect x="${LEFT + i * 90}" y="26" width="10" height="10" fill="${PALETTE[i % PALETTE.length]}"/><text x="${LEFT + i * 90 + 14}" y="35">${escapeHtml(k)}</text>`,
    )
    .join("")
  return (
    `<svg class="chart" role="img" aria-label="${escapeHtml(spec.title)}" viewBox="0 0 ${W} ${h}" width="${W}" height="${h}" xmlns="http://www.w3.org/2000/svg">` +
    `<text x="10" y="18" class="title">${escapeHtml(spec.title)}</text>${legend}${ticks}${rows}</svg>`
  )
}

export interface TimelineSpec {
  readonly title: string
  readonly endUs: number
  readonly windows: ReadonlyArray<{
    readonly row: string
    readonly startUs: number
    readonly endUs: number
    readonly label: string
  }>
  readonly formatX: (tUs: number) => string
}

/** Fault windows on the run's time axis; windows too short to see get a minimum width of 2 px. */
export const timeline = (spec: TimelineSpec): string => {
  const rows = [...new Set(spec.windows.map((w) => w.row))]
  const h = 50 + Math.max(1, rows.length) * 22 + 30
  const endUs = Math.max(1, spec.endUs)
  const sx = (t: number) => LEFT + (Math.min(t, endUs) / endUs) * (W - LEFT - RIGHT)
  const ticks = niceTicks(0, endUs)
    .map((t) => `<text x="${sx(t)}" y="${h - 12}" text-anchor="middle">${escapeHtml(spec.formatX(t))}</text>`)
    .join("")
  const bars = spec.windows
    .map((w) => {
      const y = 44 + rows.indexOf(w.row) * 22
      const width = Math.max(2, sx(w.endUs) - sx(w.startUs))
      return `<rect class="fault" x="${sx(w.startUs).toFixed(1)}" y="${y}" width="${width.toFixed(1)}" height="16" fill="#d62728"><title>${escapeHtml(w.label)}</title></rect>`
    })
    .join("")
  const labels = rows
    .map((r, i) => `<text x="${LEFT - 8}" y="${44 + i * 22 + 12}" text-anchor="end">${escapeHtml(r)}</text>`)
    .join("")
  const empty = rows.length === 0 ? `<text x="${LEFT}" y="58">no faults in this run</text>` : ""
  return (
    `<svg class="chart" role="img" aria-label="${escapeHtml(spec.title)}" viewBox="0 0 ${W} ${h}" width="${W}" height="${h}" xmlns="http://www.w3.org/2000/svg">` +
    `<text x="10" y="18" class="title">${escapeHtml(spec.title)}</text>` +
    `<line x1="${LEFT}" y1="${h - 28}" x2="${W - RIGHT}" y2="${h - 28}" stroke="#555"/>${ticks}${labels}${bars}${empty}</svg>`
  )
}
