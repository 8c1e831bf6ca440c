/**
 * How the report prints numbers, units and simulated instants. Kept in one place so the HTML, the
 * "held back" sentences and the CLI lines agree on rounding.
 */

const US_PER_MS = 1_000
const US_PER_S = 1_000_000

/** A number with at most three significant decimals and thousands separators. */
export const formatNumber = (value: number): string => {
  if (!Number.isFinite(value)) return Number.isNaN(value) ? "n/a" : String(value)
  const abs = Math.abs(value)
  const digits = abs >= 1000 || Number.isInteger(value) ? 0 : abs >= 10 ? 1 : abs >= 1 ? 2 : 3
  return value.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: 0 })
}

/** A duration in µs as the most readable unit (µs, ms, s, min, h). */
export const formatDurationUs = (valueUs: number): string => {
  if (!Number.isFinite(valueUs)) return "n/a"
  const abs = Math.abs(valueUs)
  if (abs < US_PER_MS) return `${formatNumber(valueUs)} µs`
  if (abs < US_PER_S) return `${formatNumber(valueUs / US_PER_MS)} ms`
  if (abs < 60 * US_PER_S) return `${formatNumber(valueUs / US_PER_S)} s`
  if (abs < 3600 * US_PER_S) return `${formatNumber(valueUs / (60 * US_PER_S))} min`
  return `${formatNumber(valueUs / (3600 * US_PER_S))} h`
}

/** A value in its unit: durations get a readable unit, ratios a percentage, fen yuan. */
export const formatValue = (value: number, unit: string): string => {
  if (unit === "µs") return formatDurationUs(value)
  if (unit === "ratio") return Number.isFinite(value) ? `${formatNumber(value * 100)} %` : "n/a"
  if (unit === "fen") return Number.isFinite(value) ? `¥${formatNumber(value / 100)}` : "n/a"
  if (unit === "" || unit === "count") return formatNumber(value)
  return `${formatNumber(value)} ${unit}`
}

/** The calendar date (UTC) of a simulated instant, for axis labels and the progress line. */
export const simulatedDate = (startEpochS: number, tUs: number): string =>
  new Date(startEpochS * 1000 + Math.floor(tUs / 1000)).toISOString().slice(0, 10)

/** Escapes text for HTML element content and attribute values. */
export const escapeHtml = (text: string): string =>
  text
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;")
    .replaceAll("'", "&#39;")

/** A KPI's unit from its name, which carries it last (STYLE.md: `issueLatencyUsP95`, `valueFen`). */
export const unitOfKpiName = (name: string): string =>
  /Us(Mean|Min|Max|P\d+)?$/.test(name)
    ? "µs"
    : /Ratio$/.test(name)
      ? "ratio"
      : /Fen$/.test(name)
        ? "fen"
        : "count"
