/**
 * "What held it back" (issue 7 §5): for each missed target, the limits the run recorded that bear
 * on its KPI, strongest first, each written from its own figures. Three kinds of limit exist:
 * an adoption ceiling (the adapter reports it: the population could not reach the target), a
 * capacity bottleneck (a party ran near saturation or turned requests away; derived here from the
 * utilisation table) and an outage (fault windows before the target's day; derived here from the
 * fault table). A party counts as a bottleneck by its utilisation only: requests it refused while
 * an outage had taken it down belong to that outage, not to its capacity. For the pilot's phase
 * KPIs the paragraph opens with the binding cause and its numbers (attribution.ts), then the
 * limits recorded for that phase only. When none was recorded the paragraph says so.
 */
import { type Attribution, attribute } from "./attribution.ts"
import { formatDurationUs, formatNumber, formatValue } from "./format.ts"
import type { Diagnostic, RunOutcome } from "./run-outcome.ts"
import type { TargetResult } from "./targets.ts"

/** A party counts as a bottleneck from this mean utilisation (queueing delay grows as 1/(1-ρ)). */
export const BOTTLENECK_MEAN_RATIO = 0.8
/** ... or from this peak utilisation in any sampled interval. */
export const BOTTLENECK_PEAK_RATIO = 0.95

const US_PER_DAY = 86_400_000_000

/** The adapter's diagnostics plus the capacity and outage limits read from the tables. */
export const diagnosticsOf = (outcome: RunOutcome, byDay: number | null): ReadonlyArray<Diagnostic> => {
  const untilUs = byDay === null ? Number.POSITIVE_INFINITY : byDay * US_PER_DAY
  const capacity: Diagnostic[] = outcome.utilisation
    .filter((u) => u.meanRatio >= BOTTLENECK_MEAN_RATIO || u.peakRatio >= BOTTLENECK_PEAK_RATIO)
    .map((u) => ({
      kind: "capacity-bottleneck",
      kpis: [],
      subject: u.party,
      meanRatio: u.meanRatio,
      peakRatio: u.peakRatio,
      refused: u.refused,
    }))
  const byParty = new Map<string, { downUs: number; windows: number; affected: number }>()
  for (const f of outcome.faults) {
    if (f.startUs >= untilUs) continue
    const row = byParty.get(f.party) ?? { downUs: 0, windows: 0, affected: 0 }
    row.downUs += Math.min(f.endUs, untilUs) - f.startUs
    row.windows++
    row.affected += f.affected ?? 0
    byParty.set(f.party, row)
  }
  // A party that was down and refused requests without being busy refused them because it was down.
  const refusedWhileDown = (party: string): number => {
    const u = outcome.utilisation.find((x) => x.party === party)
    return u === undefined || u.meanRatio >= BOTTLENECK_MEAN_RATIO || u.peakRatio >= BOTTLENECK_PEAK_RATIO
      ? 0
      : u.refused
  }
  const outages: Diagnostic[] = [...byParty].map(([subject, row]) => ({
    kind: "outage",
    kpis: [],
    subject,
    ...row,
    affected: row.affected > 0 ? row.affected : refusedWhileDown(subject),
  }))
  return [...outcome.diagnostics, ...capacity, ...outages]
}

const rank = (d: Diagnostic): number =>
  d.kind === "adoption-ceiling"
    ? 3
    : d.kind === "capacity-bottleneck"
      ? 2 + d.meanRatio / 10
      : d.kind === "outage"
        ? 1 + Math.min(0.09, d.downUs / US_PER_DAY / 100)
        : d.kind === "byte-level-refusals"
          ? 0.5
          : 0

const sentence = (d: Diagnostic): string => {
  if (d.kind === "competition")
    return `Competition: ${d.subject} from day ${d.fromDay} (imitation ${d.imitationFactor}×, activity ${d.activityFactor}×).`
  if (d.kind === "adoption-ceiling")
    return `Adoption ceiling: ${d.subject} could reach at most ${formatNumber(d.ceiling)} and reached ${formatNumber(d.reached)}.`
  if (d.kind === "capacity-bottleneck") {
    const refused = d.refused > 0 ? `, turning away ${formatNumber(d.refused)} requests` : ""
    return `Capacity bottleneck: ${d.subject} ran at ${formatValue(d.meanRatio, "ratio")} mean utilisation (peak ${formatValue(d.peakRatio, "ratio")})${refused}.`
  }
  if (d.kind === "byte-level-refusals") {
    const why = Object.entries(d.reasons)
      .map(([reason, n]) => `${formatNumber(n)} because ${reason}`)
      .join("; ")
    return `Byte-level verification: ${d.subject} refused ${formatNumber(d.refused)} flows (${formatValue(d.share, "ratio")} of the byte-level ones): ${why}.`
  }
  const affected = d.affected > 0 ? `, losing or refusing ${formatNumber(d.affected)} requests` : ""
  return `Outage: ${d.subject} was down ${formatDurationUs(d.downUs)} in ${d.windows} window${d.windows === 1 ? "" : "s"}${affected}.`
}

export interface HeldBack {
  readonly phase: string
  readonly kpi: string
  readonly limits: ReadonlyArray<Diagnostic>
  /** The binding cause with its shares, for the pilot's phase KPIs; null elsewhere. */
  readonly binding: Attribution | null
  readonly text: string
}

/** The limits that bear on `r`: its KPI's, and a phase-specific one only for its own phase. */
const limitsFor = (outcome: RunOutcome, r: TargetResult): Diagnostic[] =>
  diagnosticsOf(outcome, r.byDay)
    .filter((d) => d.kpis.length === 0 || d.kpis.includes(r.kpi))
    .filter((d) => d.kind !== "adoption-ceiling" || d.phase === undefined || d.phase === r.phase)
    .filter((d) => d.kind !== "competition" || (r.byDay !== null && d.fromDay < r.byDay))
    .toSorted((a, b) => rank(b) - rank(a))

/** One paragraph per missed target (a target the run never reached is not a miss). */
export const heldBack = (
  outcome: RunOutcome,
  results: ReadonlyArray<TargetResult>,
): ReadonlyArray<HeldBack> =>
  results
    .filter((r) => r.result === "fail")
    .map((r) => {
      const limits = limitsFor(outcome, r)
      const binding = attribute(outcome, r, results, limits)
      const bound = r.bound === "atLeast" ? "≥" : "≤"
      const by = r.byDay === null ? "at the end" : `by day ${r.byDay}`
      const head = Number.isNaN(r.value)
        ? `${r.phase}: ${r.kpi} was never measured (target ${bound} ${formatValue(r.target, r.unit)} ${by}).`
        : `${r.phase}: ${r.kpi} was ${formatValue(r.value, r.unit)} ${by}, target ${bound} ${formatValue(r.target, r.unit)} (short by ${formatValue(-r.margin, r.unit)}).`
      const cause = binding === null ? "" : `Binding cause: ${binding.cause} — ${binding.text}. `
      // With a binding cause the ceiling is already weighed in it; the other limits follow.
      const rest =
        binding === null
          ? limits
          : limits.filter(
              (d) =>
                d.kind !== "adoption-ceiling" &&
                !(d.kind === "competition" && binding.text.includes(d.subject)),
            )
      const body =
        rest.length === 0
          ? binding === null
            ? "The run recorded no adoption ceiling, no party near capacity and no outage before that day, so none of the three limits explains the miss."
            : ""
          : rest.map(sentence).join(" ")
      return { phase: r.phase, kpi: r.kpi, limits, binding, text: `${head} ${cause}${body}`.trim() }
    })
