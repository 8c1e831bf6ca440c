/**
 * The population's parameters (DESIGN.md §4 "Population", STYLE.md rule 9): one Schema that
 * decodes a scenario's `population` block, with units last in every name and a one-line doc per
 * field. Probabilities and shares are integer permille (STYLE.md rule 7); Bass coefficients and
 * rates are per year or per month as named. The calibrated values live in pilot-calibrations.ts.
 */
import { Schema } from "effect"
import { isCalendarDate } from "../calendar/civil-calendar.ts"

const NonNegativeInt = Schema.Int.check(Schema.isGreaterThanOrEqualTo(0))
const PositiveInt = Schema.Int.check(Schema.isGreaterThanOrEqualTo(1))
const Permille = Schema.Int.check(Schema.isGreaterThanOrEqualTo(0), Schema.isLessThanOrEqualTo(1000))
/**
 * A yearly permille of a risk that leaves the card active (a SIM swap): 1000 would be an infinite
 * hazard, a swap every second for ever after the first, so the bound is 999 (≈ 6.9 a year).
 */
export const RecurringPermille = Schema.Int.check(
  Schema.isGreaterThanOrEqualTo(0),
  Schema.isLessThanOrEqualTo(999),
)
const NonNegative = Schema.Finite.check(Schema.isGreaterThanOrEqualTo(0))
const Positive = Schema.Finite.check(Schema.isGreaterThan(0))
/**
 * A civil date "YYYY-MM-DD" (local time, Asia/Shanghai; the twin has no time zones) that exists
 * on the calendar: the pattern alone would let 2015-02-30 through to a run that then dies on it.
 */
const ISO_DATE_PATTERN = /^\d{4}-\d{2}-\d{2}$/
export const IsoDate = Schema.String.check(
  Schema.isPattern(ISO_DATE_PATTERN),
  // Only a well-formed date is looked up, so a malformed one gets the pattern's error alone.
  Schema.makeFilter(
    (iso: string) =>
      !ISO_DATE_PATTERN.test(iso) ||
      isCalendarDate(iso) ||
      `${JSON.stringify(iso)} is not a day on the calendar`,
  ),
)

export const SE_TYPES = ["NFC-SIM", "NFC-SD", "eSE"] as const
export type SeType = (typeof SE_TYPES)[number]
export const TELCO_IDS = ["cmcc", "cucc", "ctcc"] as const
export type TelcoId = (typeof TELCO_IDS)[number]
export const PROFILE_CLASSES = ["transit", "retail", "office", "evening"] as const
export type ProfileClass = (typeof PROFILE_CLASSES)[number]
export const TRANSACTION_KINDS = [
  "purchase-offline",
  "purchase-online",
  "transit",
  "load",
  "utility",
  "transfer",
  "balance-inquiry",
  "loan-application",
  "e-commerce",
] as const
export type TransactionKind = (typeof TRANSACTION_KINDS)[number]

/** A share at 1 January of a year; values between two years are interpolated by day. */
export const YearShare = Schema.Struct({
  /** Gregorian year whose 1 January the share applies to. */
  year: PositiveInt,
  /** Share of handsets in use, permille. */
  sharePermille: Permille,
})

export const Campaign = Schema.Struct({
  /** Human-readable label shown in reports. */
  name: Schema.String,
  /** First day of the campaign. */
  startDate: IsoDate,
  /** Length of the campaign in days. */
  durationDays: PositiveInt,
  /** Bass innovation coefficient p is multiplied by this during the campaign. */
  innovationFactor: Positive,
})

export const AdoptionParams = Schema.Struct({
  /** Users already adopted at time zero (the installed base). */
  initialAdopters: NonNegativeInt,
  /** Bass innovation coefficient p, per year. */
  innovationPerYear: NonNegative,
  /** Bass imitation coefficient q, per year. */
  imitationPerYear: NonNegative,
  /** Share of capable users who would ever adopt (Bass market potential / capable users), permille. */
  takeUpPermille: Permille,
  /** What a user's handset must have to adopt: NFC (an SE card) or merely a smartphone (remote banking). */
  ceiling: Schema.Literals(["nfc-handset", "smartphone"]),
  /** Marketing campaigns that raise p inside their windows. */
  campaigns: Schema.Array(Campaign),
})

export const HandsetParams = Schema.Struct({
  /** Smartphone share of handsets in use, by year (non-decreasing). */
  smartphoneShareByYear: Schema.Array(YearShare),
  /** NFC-capable share of handsets in use, by year (non-decreasing, ≤ smartphone share). */
  nfcShareByYear: Schema.Array(YearShare),
  /** Which SE an NFC user's phone offers: weights of NFC-SIM, NFC-SD, eSE, permille (sum 1000). */
  seTypeWeightsPermille: Schema.Struct({ "NFC-SIM": Permille, "NFC-SD": Permille, eSE: Permille }),
  /** SE types the pilot's TSM can issue onto; users with another SE cannot adopt under "nfc-handset". */
  supportedSeTypes: Schema.Array(Schema.Literals(SE_TYPES)),
})

export const HomeBank = Schema.Struct({
  /** Bank party id (model/parties/bank roster: GYB, GZB, GYRCB, CCB, ICBC). */
  bankId: Schema.String,
  /** Local banks issue through the 贵州通 TSM, national ones through their SP-TSM via MTPS. */
  scope: Schema.Literals(["local", "national"]),
  /** Relative weight among adopters' home banks. */
  weight: PositiveInt,
})

export const MarketParams = Schema.Struct({
  /** Users in the addressable market: the population's indices are 0 .. marketUsers − 1. */
  marketUsers: PositiveInt,
  /** Telco shares of subscriptions, permille (sum 1000). */
  telcoWeightsPermille: Schema.Struct({ cmcc: Permille, cucc: Permille, ctcc: Permille }),
  /** Home banks with weights. */
  homeBanks: Schema.Array(HomeBank),
})

export const KindParams = Schema.Struct({
  /** The transaction kind. */
  kind: Schema.Literals(TRANSACTION_KINDS),
  /** Share of all transactions, permille (the mix sums to 1000). */
  countPermille: Permille,
  /** Median amount in fen (lognormal); 0 for kinds that move no money. */
  amountFenMedian: NonNegativeInt,
  /** Lognormal shape σ of the amount (0 = fixed amount). */
  amountSigma: NonNegative,
  /** Amounts are capped here in fen (e-cash cap, bank transfer limits). */
  amountFenMax: NonNegativeInt,
  /** Which diurnal/weekly/seasonal profile the kind follows. */
  profile: Schema.Literals(PROFILE_CLASSES),
})

export const ProfileParams = Schema.Struct({
  /** 24 relative weights, one per local hour 00..23 (normalised to mean 1). */
  hourlyWeights: Schema.Array(NonNegative),
  /** 7 relative weights Monday..Sunday (normalised to mean 1). */
  weeklyWeightsMondayFirst: Schema.Array(NonNegative),
  /** Multiplier in the week before 除夕 (days −8..−2 from 初一). */
  preFestivalFactor: NonNegative,
  /** Multiplier in the festival week 除夕..初六. */
  festivalWeekFactor: NonNegative,
  /** Multiplier on 11 November. */
  double11Factor: NonNegative,
  /** Multiplier on the 5th, 15th, 25th and last day of a month. */
  paydayFactor: NonNegative,
})

export const BehaviourParams = Schema.Struct({
  /** Mean transactions per active card per month (30.4375 days) on an average day. */
  transactionsPerUserPerMonth: NonNegative,
  /** Gamma shape of the per-user activity multiplier (mean 1); small = many dormant users. */
  activityShape: Positive,
  /** The transaction mix. */
  mix: Schema.Array(KindParams),
  /** Profiles by class. */
  profiles: Schema.Struct({
    transit: ProfileParams,
    retail: ProfileParams,
    office: ProfileParams,
    evening: ProfileParams,
  }),
})

export const CompetitionParams = Schema.Struct({
  /** From this date a competing channel (QR-code wallets) takes hold. */
  fromDate: IsoDate,
  /** Bass q is multiplied by this from `fromDate`. */
  imitationFactor: NonNegative,
  /** Transaction rates are multiplied by this from `fromDate` (cards go dormant). */
  activityFactor: NonNegative,
})

export const LifecycleParams = Schema.Struct({
  /** Loss reports (挂失) per active card per year, permille. */
  lossPermillePerYear: Permille,
  /** Share of 挂失 followed by 补卡 onto a new SE, permille; the rest close (销户). */
  reissuePermille: Permille,
  /** Waiting period between 挂失 and 补卡 (or closure), in days. */
  reissueWaitDays: NonNegativeInt,
  /** Voluntary closures (销户) per active card per year, permille. */
  closePermillePerYear: Permille,
  /**
   * SIM swaps (same number onto a new UICC, or a number port) per active card per year, permille;
   * only cards on an NFC-SIM are affected (the card lives on the UICC), and each is re-issued OTA
   * onto the new SIM.
   */
  simSwapPermillePerYear: RecurringPermille,
})

export const PopulationParams = Schema.Struct({
  /** Calibration name (pilot-plan, pilot-realistic, baseline-2014, or a scenario's own). */
  name: Schema.String,
  /** The civil date at simulated time zero. */
  timeZeroDate: IsoDate,
  /** Days modelled from time zero; nothing happens to the population after this. */
  horizonDays: PositiveInt,
  market: MarketParams,
  handsets: HandsetParams,
  adoption: AdoptionParams,
  behaviour: BehaviourParams,
  /** Competition from another channel; omitted = none. */
  competition: Schema.optionalKey(CompetitionParams),
  lifecycle: LifecycleParams,
})

export type PopulationParams = typeof PopulationParams.Type
export type KindParams = typeof KindParams.Type
export type ProfileParams = typeof ProfileParams.Type

export type ParamsDecode =
  | { readonly ok: true; readonly value: PopulationParams }
  | { readonly ok: false; readonly message: string }

/** Decodes untrusted input; the message names every bad path and what was expected there. */
export const decodePopulationParams = (input: unknown): ParamsDecode => {
  let value: PopulationParams
  try {
    value = Schema.decodeUnknownSync(PopulationParams)(input, { errors: "all" })
  } catch (error) {
    return { ok: false, message: error instanceof Error ? error.message : String(error) }
  }
  const problem = consistencyProblem(value)
  return problem === null ? { ok: true, value } : { ok: false, message: problem }
}

const sumOf = (values: ReadonlyArray<number>): number => values.reduce((a, b) => a + b, 0)

const sharesProblem = (path: string, shares: ReadonlyArray<{ year: number; sharePermille: number }>) => {
  if (shares.length === 0) return `needs at least one year\n  at ${path}`
  for (let i = 1; i < shares.length; i++) {
    const [a, b] = [shares[i - 1]!, shares[i]!]
    if (!(b.year > a.year && b.sharePermille >= a.sharePermille))
      return `years must increase and shares must not fall (year ${b.year})\n  at ${path}[${i}]`
  }
  return null
}

/** Cross-field rules the Schema cannot express; null when the parameters are consistent. */
export const consistencyProblem = (p: PopulationParams): string | null => {
  const mix = sumOf(p.behaviour.mix.map((k) => k.countPermille))
  if (mix !== 1000) return `the mix must add up to 1000 permille, not ${mix}\n  at ["behaviour"]["mix"]`
  const kinds = new Set(p.behaviour.mix.map((k) => k.kind))
  if (kinds.size !== p.behaviour.mix.length) return `a kind appears twice\n  at ["behaviour"]["mix"]`
  const telcos = sumOf(Object.values(p.market.telcoWeightsPermille))
  if (telcos !== 1000)
    return `telco weights must add up to 1000, not ${telcos}\n  at ["market"]["telcoWeightsPermille"]`
  const se = sumOf(Object.values(p.handsets.seTypeWeightsPermille))
  if (se !== 1000)
    return `SE type weights must add up to 1000, not ${se}\n  at ["handsets"]["seTypeWeightsPermille"]`
  if (p.market.homeBanks.length === 0) return `needs at least one bank\n  at ["market"]["homeBanks"]`
  for (const [name, prof] of Object.entries(p.behaviour.profiles)) {
    const at = `["behaviour"]["profiles"]["${name}"]`
    if (prof.hourlyWeights.length !== 24 || !(sumOf(prof.hourlyWeights) > 0))
      return `needs 24 hourly weights with a positive sum\n  at ${at}["hourlyWeights"]`
    if (prof.weeklyWeightsMondayFirst.length !== 7 || !(sumOf(prof.weeklyWeightsMondayFirst) > 0))
      return `needs 7 weekly weights with a positive sum\n  at ${at}["weeklyWeightsMondayFirst"]`
  }
  return (
    sharesProblem(`["handsets"]["smartphoneShareByYear"]`, p.handsets.smartphoneShareByYear) ??
    sharesProblem(`["handsets"]["nfcShareByYear"]`, p.handsets.nfcShareByYear)
  )
}
