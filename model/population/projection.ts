/**
 * The aggregate (fluid, background) projection of a calibration: expected cumulative cards,
 * transactions and value per day and per month, computed from the same parameters and the same
 * tables as the agent simulation — the adoption curve's A(d) (adoption.ts), the demand table's
 * unit intensity (demand-profiles.ts), the kinds' expected amounts (behaviour.ts) and the
 * lifecycle hazards (lifecycle-events.ts) — so planners and the validation tests read the model,
 * not a separate fudge. Active cards move through active → lost (for the waiting period) →
 * reissued or closed, and active → closed, in daily steps with exact daily transition probabilities.
 */

import { civilFromDays, daysFromIso, isoFromDays } from "../calendar/civil-calendar.ts"
import { type AdoptionCurve, adoptionCurve } from "./adoption.ts"
import { HOURS_PER_MONTH, meanAmountFen } from "./behaviour.ts"
import { type DemandTable, demandTable } from "./demand-profiles.ts"
import { lifecycleHazards, SECONDS_PER_DAY } from "./lifecycle-events.ts"
import { type PopulationParams, PROFILE_CLASSES } from "./population-params.ts"
import { timeZeroEpochDays } from "./user.ts"

export interface DailyProjection {
  readonly days: number
  /** Cumulative first issuances (adopters) at the start of each day 0..days. */
  readonly cardsCumulative: Float64Array
  readonly reissuesCumulative: Float64Array
  /** Active cards at the start of each day. */
  readonly cardsActive: Float64Array
  readonly transactionsCumulative: Float64Array
  readonly valueFenCumulative: Float64Array
  /** The market potential m(d): the adoption ceiling in cards. */
  readonly ceilingCards: Float64Array
}

/** Expected transactions and value (fen) per active card on day d. */
const perCardDay = (p: PopulationParams, demand: DemandTable, d: number): { tx: number; fen: number } => {
  const rate = p.behaviour.transactionsPerUserPerMonth / HOURS_PER_MONTH
  const cum = demand.cumulativeUnits
  const tx = rate * (cum[(d + 1) * 24]! - cum[d * 24]!)
  let fen = 0
  p.behaviour.mix.forEach((k, i) => {
    const c = PROFILE_CLASSES[demand.kindClass[i]!]!
    fen += rate * demand.kindShare[i]! * 24 * demand.classDay[c][d]! * meanAmountFen(k)
  })
  return { tx, fen }
}

export const projectDaily = (
  p: PopulationParams,
  curve: AdoptionCurve = adoptionCurve(p),
  demand: DemandTable = demandTable(p),
): DailyProjection => {
  const days = p.horizonDays
  const make = () => new Float64Array(days + 1)
  const out = {
    days,
    cardsCumulative: Float64Array.from(curve.adoptersExpected),
    reissuesCumulative: make(),
    cardsActive: make(),
    transactionsCumulative: make(),
    valueFenCumulative: make(),
    ceilingCards: Float64Array.from(curve.potentialUsers),
  }
  const h = lifecycleHazards(p)
  const leaveDay = 1 - Math.exp(-(h.lossPerSecond + h.closePerSecond) * SECONDS_PER_DAY)
  const lossShare = h.lossPerSecond / (h.lossPerSecond + h.closePerSecond || 1)
  const wait = Math.max(1, Math.round(p.lifecycle.reissueWaitDays))
  const lostDue = new Float64Array(days + wait + 1)
  const reissueShare = p.lifecycle.reissuePermille / 1000
  let active = curve.adoptersExpected[0]!
  for (let d = 0; d < days; d++) {
    out.cardsActive[d] = active
    const adopted = curve.adoptersExpected[d + 1]! - curve.adoptersExpected[d]!
    const leaving = active * leaveDay
    const reissued = lostDue[d]! * reissueShare
    lostDue[d + wait]! += leaving * lossShare
    const next = active - leaving + adopted + reissued
    const { tx, fen } = perCardDay(p, demand, d)
    const exposure = (active + next) / 2
    out.transactionsCumulative[d + 1] = out.transactionsCumulative[d]! + exposure * tx
    out.valueFenCumulative[d + 1] = out.valueFenCumulative[d]! + exposure * fen
    out.reissuesCumulative[d + 1] = out.reissuesCumulative[d]! + reissued
    active = next
  }
  out.cardsActive[days] = active
  return out
}

export interface MonthlyRow {
  /** "YYYY-MM" of the month that ends at this row. */
  readonly month: string
  readonly cardsCumulative: number
  readonly cardsActive: number
  readonly reissuesCumulative: number
  readonly transactionsCumulative: number
  readonly valueYuanCumulative: number
  readonly ceilingCards: number
}

/** The daily projection read at the end of each calendar month inside the horizon. */
export const projectMonthly = (
  p: PopulationParams,
  daily: DailyProjection = projectDaily(p),
): MonthlyRow[] => {
  const zero = timeZeroEpochDays(p)
  const rows: MonthlyRow[] = []
  for (let d = 1; d <= daily.days; d++) {
    if (civilFromDays(zero + d).day !== 1) continue
    rows.push({
      month: isoFromDays(zero + d - 1).slice(0, 7),
      cardsCumulative: daily.cardsCumulative[d]!,
      cardsActive: daily.cardsActive[d]!,
      reissuesCumulative: daily.reissuesCumulative[d]!,
      transactionsCumulative: daily.transactionsCumulative[d]!,
      valueYuanCumulative: daily.valueFenCumulative[d]! / 100,
      ceilingCards: daily.ceilingCards[d]!,
    })
  }
  return rows
}

export interface PhaseTarget {
  /** The deadline: the target holds at the end of this date. */
  readonly endDate: string
  readonly cards: number
  readonly transactions: number
  readonly valueYuan: number
}

export interface PhaseAssessment {
  readonly target: PhaseTarget
  readonly cards: number
  readonly transactions: number
  readonly valueYuan: number
  /** The adoption ceiling (market potential) at the deadline. */
  readonly ceilingCards: number
  readonly missed: ReadonlyArray<"cards" | "transactions" | "value">
  /** Why cards fall short: the ceiling itself is below the target, or diffusion is too slow. */
  readonly cardsShortfallCause: "none" | "adoption-ceiling" | "diffusion-speed"
}

/** Reads the projection at each deadline and says which targets are missed and why. */
export const assessTargets = (
  p: PopulationParams,
  daily: DailyProjection,
  targets: ReadonlyArray<PhaseTarget>,
): PhaseAssessment[] =>
  targets.map((target) => {
    const d = daysFromIso(target.endDate) + 1 - timeZeroEpochDays(p)
    if (!(d >= 0 && d <= daily.days)) throw new RangeError(`${target.endDate} lies outside the projection`)
    const cards = daily.cardsCumulative[d]!
    const transactions = daily.transactionsCumulative[d]!
    const valueYuan = daily.valueFenCumulative[d]! / 100
    const ceilingCards = daily.ceilingCards[d]!
    const missed = [
      ...(cards < target.cards ? (["cards"] as const) : []),
      ...(transactions < target.transactions ? (["transactions"] as const) : []),
      ...(valueYuan < target.valueYuan ? (["value"] as const) : []),
    ]
    const cause =
      cards >= target.cards ? "none" : ceilingCards < target.cards ? "adoption-ceiling" : "diffusion-speed"
    return { target, cards, transactions, valueYuan, ceilingCards, missed, cardsShortfallCause: cause }
  })
