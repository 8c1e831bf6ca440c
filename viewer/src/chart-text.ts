/** The words and numbers of the charts: compact counts and the pace sentence of a KPI chart. */
import type { PhaseTarget } from "../../model/signals/kpi.ts"
import { PACE_WINDOW_US, paceTo } from "./pace.ts"
import type { Series } from "./view-state.ts"

/** 1234 → "1,234"; 1.5e6 → "1.5 M"; 2.3e9 → "2.3 bn". */
export const formatCount = (v: number): string => {
  const a = Math.abs(v)
  if (a >= 1e9) return `${(v / 1e9).toFixed(a >= 1e10 ? 0 : 1)} bn`
  if (a >= 1e6) return `${(v / 1e6).toFixed(a >= 1e7 ? 0 : 1)} M`
  if (a >= 1e4) return `${Math.round(v / 1e3)} k`
  if (Number.isInteger(v)) return v.toLocaleString("en")
  // A lightly loaded party's utilisation is a few thousandths of a percent: keep two digits.
  return a < 1 ? String(Number(v.toPrecision(2))) : v.toFixed(1)
}

const dateOf = (epochUs: number, tUs: number): string =>
  new Date((epochUs + tUs) / 1000).toISOString().slice(0, 10)

/** "on pace for 1.9 M cards by 2017-07-31 (last 90 days' pace; target 1.5 M)", or null. */
export const paceLine = (
  series: Series,
  targets: ReadonlyArray<PhaseTarget>,
  epochUs: number,
): string | null => {
  if (targets.length === 0) return null
  const last = targets.reduce((a, b) => (b.deadlineUs > a.deadlineUs ? b : a))
  const view = series.buffer.view()
  const pace = paceTo(view.t, view.values[0] ?? [], last.deadlineUs)
  if (pace === null) return null
  const unit = series.units[0] ?? ""
  const days = Math.round(PACE_WINDOW_US / 86_400_000_000)
  // A projection of a count is a whole number of cards or transactions ("8,125", not "8124.8").
  return `on pace for ${formatCount(Math.round(pace.value))} ${unit} by ${dateOf(epochUs, last.deadlineUs)} (last ${days} days' pace; target ${formatCount(last.target)})`
}
