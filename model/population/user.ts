/**
 * A user's attributes as pure functions of (seed, index) (DESIGN.md §4 "Population"): home bank,
 * telco, handset capability by date, SE type, take-up and adoption threshold, activity. Nothing is
 * stored per user here: each call re-derives the user's stream and reads its draws in a fixed
 * order, so a user's attributes never depend on the population's size or on any other user.
 *
 * Streams come from sim/rng/stream.ts directly rather than through the port, because the adoption
 * pass and the planners' projection run outside a kernel; `streamOf(seed, …)` is exactly what the
 * port's `stream(purpose, index)` returns for the run's seed, so the draws agree inside a run.
 */
import { gamma } from "../../sim/rng/distributions.ts"
import type { Stream } from "../../sim/rng/stream.ts"
import { daysFromCivil, daysFromIso } from "../calendar/civil-calendar.ts"
import { type PopulationParams, SE_TYPES, type SeType, TELCO_IDS, type TelcoId } from "./population-params.ts"
import { StreamDeriver } from "./stream-deriver.ts"

export const USER_STREAM = "population.user"
export const ACTIVITY_STREAM = "population.activity"

// The last seed's derivers, kept because a run asks for millions of users' streams under one seed.
let userDeriver = new StreamDeriver(0, USER_STREAM)
let activityDeriver = new StreamDeriver(0, ACTIVITY_STREAM)

/** `streamOf(seed, USER_STREAM, index)`, derived fast (stream-deriver.ts). */
const userStream = (seed: number, index: number): Stream => {
  if (userDeriver.seed !== seed) userDeriver = new StreamDeriver(seed, USER_STREAM)
  return userDeriver.stream(index)
}

const activityStream = (seed: number, index: number): Stream => {
  if (activityDeriver.seed !== seed) activityDeriver = new StreamDeriver(seed, ACTIVITY_STREAM)
  return activityDeriver.stream(index)
}

/** The raw draws of one user, in the order they are taken from the user's stream. */
export interface UserDraws {
  /** Handset rank in [0, 1): the handset is a smartphone / NFC-capable once the share exceeds it. */
  handsetRank: number
  /** In [0, 1000): picks the SE type. */
  seTypeDraw: number
  /** In [0, 1000): picks the telco. */
  telcoDraw: number
  /** In [0, 1): picks the home bank by weight. */
  bankDraw: number
  /** In [0, 1000): the user is a potential adopter when below the take-up permille. */
  takeUpDraw: number
  /** Exp(1): the cumulative Bass hazard the user needs before adopting. */
  adoptionThreshold: number
}

export const emptyDraws = (): UserDraws => ({
  handsetRank: 0,
  seTypeDraw: 0,
  telcoDraw: 0,
  bankDraw: 0,
  takeUpDraw: 0,
  adoptionThreshold: 0,
})

/** Fills `out` with user `index`'s draws; no allocation beyond the stream itself. */
export const drawUserInto = (seed: number, index: number, out: UserDraws): UserDraws => {
  const s = userStream(seed, index)
  out.handsetRank = s.float53()
  out.seTypeDraw = s.below(1000)
  out.telcoDraw = s.below(1000)
  out.bankDraw = s.float53()
  out.takeUpDraw = s.below(1000)
  out.adoptionThreshold = -Math.log(1 - s.float53())
  return out
}

export const drawUser = (seed: number, index: number): UserDraws => drawUserInto(seed, index, emptyDraws())

/** Picks from permille weights given in a fixed key order. */
const pickPermille = <K extends string>(
  keys: ReadonlyArray<K>,
  weights: Record<K, number>,
  draw: number,
): K => {
  let acc = 0
  for (const k of keys) {
    acc += weights[k]
    if (draw < acc) return k
  }
  throw new RangeError(`permille weights add up to ${acc}, draw ${draw}`)
}

export const seTypeOf = (p: PopulationParams, d: UserDraws): SeType =>
  pickPermille(SE_TYPES, p.handsets.seTypeWeightsPermille, d.seTypeDraw)

export const telcoOf = (p: PopulationParams, d: UserDraws): TelcoId =>
  pickPermille(TELCO_IDS, p.market.telcoWeightsPermille, d.telcoDraw)

export const homeBankOf = (
  p: PopulationParams,
  d: UserDraws,
): { bankId: string; scope: "local" | "national" } => {
  const banks = p.market.homeBanks
  const total = banks.reduce((a, b) => a + b.weight, 0)
  let acc = 0
  for (const b of banks) {
    acc += b.weight
    if (d.bankDraw * total < acc) return { bankId: b.bankId, scope: b.scope }
  }
  const last = banks[banks.length - 1]!
  return { bankId: last.bankId, scope: last.scope }
}

/** A by-year share at a day count since 1970, linear between 1 January points, flat outside. */
export const shareAtEpochDays = (
  shares: ReadonlyArray<{ year: number; sharePermille: number }>,
  epochDays: number,
): number => {
  const first = shares[0]!
  if (epochDays <= daysFromCivil(first.year, 1, 1)) return first.sharePermille / 1000
  for (let i = 1; i < shares.length; i++) {
    const [a, b] = [shares[i - 1]!, shares[i]!]
    const [da, db] = [daysFromCivil(a.year, 1, 1), daysFromCivil(b.year, 1, 1)]
    if (epochDays < db)
      return (a.sharePermille + ((b.sharePermille - a.sharePermille) * (epochDays - da)) / (db - da)) / 1000
  }
  return shares[shares.length - 1]!.sharePermille / 1000
}

/** Whether the user's handset is NFC-capable on 1 January of `year` ("handset NFC capability by year"). */
export const nfcCapableInYear = (p: PopulationParams, d: UserDraws, year: number): boolean =>
  d.handsetRank < shareAtEpochDays(p.handsets.nfcShareByYear, daysFromCivil(year, 1, 1))

export const smartphoneInYear = (p: PopulationParams, d: UserDraws, year: number): boolean =>
  d.handsetRank < shareAtEpochDays(p.handsets.smartphoneShareByYear, daysFromCivil(year, 1, 1))

/**
 * Whether the user could ever adopt under the calibration, apart from the handset date: willing
 * (take-up) and, for an SE card, holding an SE type the pilot supports.
 */
export const potentialAdopter = (p: PopulationParams, d: UserDraws): boolean =>
  d.takeUpDraw < p.adoption.takeUpPermille &&
  (p.adoption.ceiling === "smartphone" || p.handsets.supportedSeTypes.includes(seTypeOf(p, d)))

/** The user's activity multiplier: Gamma(shape, 1/shape), mean 1, from its own stream. */
export const activityOf = (p: PopulationParams, seed: number, index: number): number => {
  const shape = p.behaviour.activityShape
  return gamma(activityStream(seed, index), shape, 1 / shape)
}

export interface UserAttributes {
  readonly index: number
  readonly homeBankId: string
  readonly homeBankScope: "local" | "national"
  readonly telco: TelcoId
  readonly seType: SeType
  /** NFC capability on 1 January of each year of the run. */
  readonly nfcCapableByYear: ReadonlyMap<number, boolean>
  readonly potentialAdopter: boolean
}

/** All attributes of one user, for parties and reports (allocates; not for the O(N) pass). */
export const userAttributes = (p: PopulationParams, seed: number, index: number): UserAttributes => {
  const d = drawUser(seed, index)
  const bank = homeBankOf(p, d)
  const startYear = Number(p.timeZeroDate.slice(0, 4))
  const endYear = startYear + Math.ceil(p.horizonDays / 365)
  const byYear = new Map<number, boolean>()
  for (let y = startYear; y <= endYear; y++) byYear.set(y, nfcCapableInYear(p, d, y))
  return {
    index,
    homeBankId: bank.bankId,
    homeBankScope: bank.scope,
    telco: telcoOf(p, d),
    seType: seTypeOf(p, d),
    nfcCapableByYear: byYear,
    potentialAdopter: potentialAdopter(p, d),
  }
}

/** Day count since 1970 of the calibration's time zero. */
export const timeZeroEpochDays = (p: PopulationParams): number => daysFromIso(p.timeZeroDate)
