/**
 * The binding cause of a missed phase KPI (issue [viewer] 7): each phase KPI is a chain of shares
 * of its target, and the smallest share binds.
 * - cards = ceiling × diffusion: the adoption ceiling's share of the target (how many users could
 *   take a card at all) × the share of that ceiling diffusion reached by the deadline;
 * - transactions = card base × use per card: the cards' share of their target × how much of the
 *   target's implied use per card the cards delivered;
 * - value = transactions × ticket: the transactions' share × the mean ticket against the target's.
 * An outage or a saturated party binds instead when the requests it lost or refused would cover
 * at least half the shortfall. A competing channel (QR-code wallets) is named with the share it
 * acts through (diffusion or use per card) once its start precedes the deadline.
 * Each cause comes with the numbers that show it, so a planner can check it against the tables.
 */
import { formatNumber, formatValue } from "./format.ts"
import type { Diagnostic, RunOutcome } from "./run-outcome.ts"
import type { TargetResult } from "./targets.ts"

export interface Share {
  readonly name: string
  /** Achieved over needed, in [0, 1]. */
  readonly share: number
}

export interface Attribution {
  readonly cause: string
  readonly shares: ReadonlyArray<Share>
  readonly text: string
}

const pct = (x: number): string => `${x >= 0.1 ? Math.round(100 * x) : (100 * x).toFixed(1)} %`
const clamp = (x: number): number => (Number.isFinite(x) ? Math.max(0, Math.min(1, x)) : 0)

const samePhase = (results: ReadonlyArray<TargetResult>, r: TargetResult, kpi: string) =>
  results.find((x) => x.phase === r.phase && x.kpi === kpi && x.bound === "atLeast")

const competitionFor = (diagnostics: ReadonlyArray<Diagnostic>, r: TargetResult) =>
  diagnostics.find(
    (d): d is Extract<Diagnostic, { kind: "competition" }> =>
      d.kind === "competition" && r.byDay !== null && d.fromDay < r.byDay,
  )

const binding = (shares: ReadonlyArray<Share>): Share => shares.reduce((a, b) => (b.share < a.share ? b : a))

const cards = (o: RunOutcome, r: TargetResult): Attribution | null => {
  const adoption = o.diagnostics.find(
    (d): d is Extract<Diagnostic, { kind: "adoption-ceiling" }> =>
      d.kind === "adoption-ceiling" &&
      d.kpis.includes(r.kpi) &&
      (d.phase === undefined || d.phase === r.phase),
  )
  if (adoption === undefined) return null
  const shares = [
    { name: "adoption ceiling", share: clamp(adoption.ceiling / r.target) },
    { name: "diffusion speed", share: clamp(r.value / adoption.ceiling) },
  ]
  const b = binding(shares)
  const qr = competitionFor(o.diagnostics, r)
  const text =
    b.name === "adoption ceiling"
      ? `at most ${formatNumber(adoption.ceiling)} users could take a card (${pct(shares[0]!.share)} of the target): ${adoption.subject}; diffusion reached ${pct(shares[1]!.share)} of them`
      : `the run reached ${formatNumber(r.value)} of the ${formatNumber(adoption.ceiling)} users who would take a card (${pct(shares[1]!.share)}), while the ceiling itself is ${pct(shares[0]!.share)} of the target${qr === undefined ? "" : `; ${qr.subject} from day ${qr.fromDay} cut imitation to ${qr.imitationFactor}×`}`
  return { cause: b.name, shares, text }
}

const chained = (
  o: RunOutcome,
  r: TargetResult,
  upstream: TargetResult | undefined,
  names: { up: string; own: string },
): Attribution | null => {
  if (upstream === undefined || upstream.target <= 0) return null
  const up = clamp(upstream.value / upstream.target)
  // Above 100 % when each card (transaction) did more than the target implies: said as such.
  const ownRaw = up === 0 ? 0 : r.value / r.target / up
  const own = clamp(ownRaw)
  const shares = [
    { name: names.up, share: up },
    { name: names.own, share: own },
  ]
  const b = binding(shares)
  const qr = competitionFor(o.diagnostics, r)
  const acting =
    qr !== undefined && b.name === names.own && qr.activityFactor < 1
      ? `; ${qr.subject} from day ${qr.fromDay} cut activity to ${qr.activityFactor}×`
      : ""
  const text = `${upstream.kpi} reached ${pct(up)} of its target (${formatValue(upstream.value, upstream.unit)} of ${formatValue(upstream.target, upstream.unit)}), and ${names.own} came to ${pct(ownRaw)} of what the target implies${acting}`
  return { cause: b.name, shares, text }
}

/** Lost or refused requests that would cover at least half the shortfall make their cause bind. */
const lossCause = (limits: ReadonlyArray<Diagnostic>, shortfall: number): Attribution | null => {
  let best: { d: Diagnostic; lost: number } | null = null
  for (const d of limits) {
    const lost = d.kind === "outage" ? d.affected : d.kind === "capacity-bottleneck" ? d.refused : 0
    if (lost > (best?.lost ?? 0)) best = { d, lost }
  }
  if (best === null || best.lost < shortfall / 2) return null
  const cause = best.d.kind === "outage" ? "outage" : "capacity at peak"
  const share = clamp(best.lost / shortfall)
  const text = `${best.d.subject} lost or refused ${formatNumber(best.lost)} requests, ${pct(share)} of the shortfall`
  return { cause, shares: [{ name: cause, share }], text }
}

/** The binding cause of one missed target, or null for a KPI outside the pilot's chains. */
export const attribute = (
  o: RunOutcome,
  r: TargetResult,
  results: ReadonlyArray<TargetResult>,
  limits: ReadonlyArray<Diagnostic>,
): Attribution | null => {
  if (r.pass || r.bound !== "atLeast" || Number.isNaN(r.value)) return null
  const loss = lossCause(limits, r.target - r.value)
  if (loss !== null) return loss
  if (r.kpi === "cards") return cards(o, r)
  if (r.kpi === "transactions")
    return chained(o, r, samePhase(results, r, "cards"), { up: "card base", own: "use per card" })
  if (r.kpi === "valueYuan")
    return chained(o, r, samePhase(results, r, "transactions"), {
      up: "transaction count",
      own: "ticket size",
    })
  return null
}
