/**
 * The calibrated population parameters as data (kept apart from the Schema so each stays one
 * concept): `pilot-plan` (reaches the official phase targets, DESIGN.md §1), `pilot-realistic`
 * (public figures: NFC handset share, QR-code competition from 2016, CALIBRATION.md §0) and
 * `baseline-2014` (the pilot's own Jan–Apr 2014 baseline, CALIBRATION.md §3.1). Every figure names
 * its CALIBRATION.md section and confidence (H/M/L, "A" = the twin's assumption inside a range the
 * section gives, "T" = tuned so the calibration meets what it is calibrated against — the tests
 * then check that by simulation or projection, never by copying the target).
 */
import type { KindParams, PopulationParams, ProfileParams } from "./population-params.ts"

const YUAN = 100

/**
 * The §3.1 count mix (A): transfers 30 % (§3.1: 25-35 %, 20-40 k yuan), loads 10 % (§3.1: 200-500,
 * cap 1,000 = the e-cash limit, §2.3 M-H), bills 10 % (§3.1: 100-300), e-commerce 8 % (§3.1:
 * 200-1,000), retail and transit 33 % (§3.1: 20-40 %, 2-50 yuan; bus fare 2 yuan, §3.2 M), balance
 * inquiries 8 % and loan applications 1 % (no money moves; counted as transactions the way bank
 * statistics count enquiry transactions). Transfers are capped at 1 M yuan (A: a mobile-banking
 * single-transfer limit). Mean ticket ≈ 10,340 yuan (§3.1's ≈10,000-10,354; see behaviour.ts). The transfer median is T.
 */
export const PILOT_MIX: ReadonlyArray<KindParams> = [
  {
    kind: "transfer",
    countPermille: 300,
    amountFenMedian: 13_000 * YUAN,
    amountSigma: 1.4,
    amountFenMax: 1_000_000 * YUAN,
    profile: "office",
  },
  {
    kind: "purchase-offline",
    countPermille: 150,
    amountFenMedian: 25 * YUAN,
    amountSigma: 0.8,
    amountFenMax: 1_000 * YUAN,
    profile: "retail",
  },
  {
    kind: "purchase-online",
    countPermille: 60,
    amountFenMedian: 150 * YUAN,
    amountSigma: 0.9,
    amountFenMax: 50_000 * YUAN,
    profile: "retail",
  },
  {
    kind: "transit",
    countPermille: 120,
    amountFenMedian: 2 * YUAN,
    amountSigma: 0,
    amountFenMax: 2 * YUAN,
    profile: "transit",
  },
  {
    kind: "load",
    countPermille: 100,
    amountFenMedian: 300 * YUAN,
    amountSigma: 0.5,
    amountFenMax: 1_000 * YUAN,
    profile: "retail",
  },
  {
    kind: "utility",
    countPermille: 100,
    amountFenMedian: 150 * YUAN,
    amountSigma: 0.7,
    amountFenMax: 20_000 * YUAN,
    profile: "office",
  },
  {
    kind: "e-commerce",
    countPermille: 80,
    amountFenMedian: 400 * YUAN,
    amountSigma: 1.0,
    amountFenMax: 50_000 * YUAN,
    profile: "evening",
  },
  {
    kind: "balance-inquiry",
    countPermille: 80,
    amountFenMedian: 0,
    amountSigma: 0,
    amountFenMax: 0,
    profile: "office",
  },
  {
    kind: "loan-application",
    countPermille: 10,
    amountFenMedian: 0,
    amountSigma: 0,
    amountFenMax: 0,
    profile: "office",
  },
]

/**
 * Profiles (§3.3, A/L): transit twin peaks 07-09 and 17-19 on weekdays; retail lunch and evening;
 * transfers and bills in office hours with a Monday bulge and payday spikes; e-commerce 20-23.
 * Pre-festival week 1.5-2.5× (§3.3, from UnionPay's 2015 peak day ≈2.4× the festival average, H);
 * festival week 0.8-1.0× for transit and retail (out-migration); 11.11 3-10× for e-commerce (§3.3).
 */
const PROFILES: Record<"transit" | "retail" | "office" | "evening", ProfileParams> = {
  transit: {
    hourlyWeights: [1, 0.5, 0.3, 0.3, 0.5, 2, 6, 10, 9, 4, 3, 3, 3, 3, 3, 4, 6, 9, 8, 5, 3, 2, 1.5, 1],
    weeklyWeightsMondayFirst: [1.1, 1.1, 1.1, 1.1, 1.1, 0.8, 0.7],
    preFestivalFactor: 1.3,
    festivalWeekFactor: 0.8,
    double11Factor: 1,
    paydayFactor: 1,
  },
  retail: {
    hourlyWeights: [1, 0.5, 0.3, 0.3, 0.3, 0.5, 1, 2, 3, 3, 4, 6, 8, 6, 4, 3, 3, 4, 6, 7, 6, 4, 2, 1.5],
    weeklyWeightsMondayFirst: [0.9, 0.9, 0.9, 1, 1.1, 1.2, 1.2],
    preFestivalFactor: 2,
    festivalWeekFactor: 0.9,
    double11Factor: 1.2,
    paydayFactor: 1,
  },
  office: {
    hourlyWeights: [
      0.3, 0.2, 0.1, 0.1, 0.1, 0.2, 0.5, 1, 3, 6, 7, 7, 5, 4, 6, 7, 6, 5, 3, 2, 1.5, 1, 0.6, 0.4,
    ],
    weeklyWeightsMondayFirst: [1.3, 1.1, 1.1, 1.1, 1.1, 0.6, 0.5],
    preFestivalFactor: 2,
    festivalWeekFactor: 0.6,
    double11Factor: 1,
    paydayFactor: 1.4,
  },
  evening: {
    hourlyWeights: [3, 2, 1, 0.5, 0.3, 0.3, 0.5, 1, 1.5, 2, 2.5, 3, 3.5, 3, 3, 3, 3, 3.5, 4, 5, 7, 8, 7, 5],
    weeklyWeightsMondayFirst: [1, 1, 1, 1, 1, 1.1, 1.1],
    preFestivalFactor: 1.5,
    festivalWeekFactor: 0.8,
    double11Factor: 5,
    paydayFactor: 1,
  },
}

const MARKET: PopulationParams["market"] = {
  // §4: Guiyang 462.18 万 residents end-2015 (H) × ≈95 subscriptions per 100 (§4 Guizhou range 95-105, A).
  marketUsers: 4_400_000,
  // Not in CALIBRATION.md: national operator shares of mobile subscriptions c. 2015 (A, L for Guiyang).
  telcoWeightsPermille: { cmcc: 640, cucc: 220, ctcc: 140 },
  // No public split (A): the three local banks issue through the 贵州通 TSM (DESIGN.md §1), 60 %.
  homeBanks: [
    { bankId: "GYB", scope: "local", weight: 30 },
    { bankId: "GZB", scope: "local", weight: 20 },
    { bankId: "GYRCB", scope: "local", weight: 10 },
    { bankId: "CCB", scope: "national", weight: 25 },
    { bankId: "ICBC", scope: "national", weight: 15 },
  ],
}

// §4 (A): smartphones ~60 % of handsets in use (2014) → ~80 % (2017).
const SMARTPHONES = [
  { year: 2013, sharePermille: 550 },
  { year: 2014, sharePermille: 600 },
  { year: 2015, sharePermille: 670 },
  { year: 2016, sharePermille: 740 },
  { year: 2017, sharePermille: 800 },
  { year: 2018, sharePermille: 830 },
]

const LIFECYCLE: PopulationParams["lifecycle"] = {
  lossPermillePerYear: 50, // §3.4: 挂失 3-8 % of active SE cards a year (A, L-M).
  reissuePermille: 750, // §3.4: 补卡 after 60-90 % of 挂失 (A).
  reissueWaitDays: 7, // No public figure (A); scenario 02 uses the same 7 days.
  closePermillePerYear: 100, // §3.4: voluntary 销户 5-15 %/yr (A).
  // §3.4: "A SIM swap or number port forces OTA re-issuance: assume 2-5 %/yr" (A, the range's lower
  // half: a swap needs a visit to the operator's store). NFC-SIM cards only (lifecycle-events.ts).
  simSwapPermillePerYear: 30,
}

const BEHAVIOUR = (transactionsPerUserPerMonth: number): PopulationParams["behaviour"] => ({
  transactionsPerUserPerMonth,
  // §3.4 (A): 40-70 % of issued cards idle in a month; shape 0.3 at ~1.3/month gives ≈ 60 %.
  activityShape: 0.3,
  mix: PILOT_MIX,
  profiles: PROFILES,
})

/** Marketing (A, no public campaign calendar): the launch, spring and anniversary pushes. */
const CAMPAIGNS: PopulationParams["adoption"]["campaigns"] = [
  { name: "launch", startDate: "2014-08-01", durationDays: 90, innovationFactor: 5 },
  { name: "spring-2015", startDate: "2015-01-20", durationDays: 45, innovationFactor: 3 },
  { name: "anniversary-2015", startDate: "2015-08-01", durationDays: 60, innovationFactor: 3 },
  { name: "anniversary-2016", startDate: "2016-08-01", durationDays: 60, innovationFactor: 3 },
]

/** The plan: the phase targets as the planners assumed them reachable. */
export const PILOT_PLAN: PopulationParams = {
  name: "pilot-plan",
  timeZeroDate: "2014-08-01", // DESIGN.md §1: the pilot runs 2014-08 → 2017-07.
  horizonDays: 1096, // To 2017-08-01, the last deadline's end.
  market: MARKET,
  handsets: {
    smartphoneShareByYear: SMARTPHONES,
    // §1.3 (M): NFC ~20 % of phones shipped in 2014, forecast 30 % (2015) and >60 % (2018) — the
    // plan's optimistic reading, applied to handsets in use.
    nfcShareByYear: [
      { year: 2014, sharePermille: 200 },
      { year: 2015, sharePermille: 300 },
      { year: 2016, sharePermille: 400 },
      { year: 2017, sharePermille: 500 },
      { year: 2018, sharePermille: 600 },
    ],
    seTypeWeightsPermille: { "NFC-SIM": 600, "NFC-SD": 100, eSE: 300 }, // §4: SWP share of NFC phones 50-70 % (A).
    supportedSeTypes: ["NFC-SIM", "NFC-SD", "eSE"], // The plan assumes every SE can be reached.
  },
  adoption: {
    initialAdopters: 0,
    innovationPerYear: 0.05, // T (Bass p; meta-analyses put p ≈ 0.03, q ≈ 0.38 per year).
    imitationPerYear: 1.5, // T: the plan needs fast word of mouth.
    takeUpPermille: 900, // T: the plan assumes nearly every capable user takes a card.
    ceiling: "nfc-handset",
    campaigns: CAMPAIGNS,
  },
  behaviour: BEHAVIOUR(1.6), // T: 2 M transactions by 2015-07 need ≈ 1.6/card/month (§3.1 notes ≈ 0.8-1.7).
  lifecycle: LIFECYCLE,
}

/** What public figures support: CALIBRATION.md §0 expects 10^4-10^5 SE cards by mid-2017. */
export const PILOT_REALISTIC: PopulationParams = {
  ...PILOT_PLAN,
  name: "pilot-realistic",
  handsets: {
    smartphoneShareByYear: SMARTPHONES,
    // §4 (A): NFC-capable handsets in use 5-10 % (2014), 15-25 % (2016), 25-35 % (2017).
    nfcShareByYear: [
      { year: 2014, sharePermille: 70 },
      { year: 2015, sharePermille: 120 },
      { year: 2016, sharePermille: 200 },
      { year: 2017, sharePermille: 300 },
      { year: 2018, sharePermille: 350 },
    ],
    seTypeWeightsPermille: { "NFC-SIM": 600, "NFC-SD": 100, eSE: 300 },
    // §4: iPhone NFC only through Apple Pay (no SWP-SIM); eSE wallets were closed to the regional TSM (A).
    supportedSeTypes: ["NFC-SIM", "NFC-SD"],
  },
  adoption: {
    initialAdopters: 0,
    innovationPerYear: 0.03, // Bass p, literature mean (A).
    imitationPerYear: 0.38, // Bass q, literature mean (A).
    takeUpPermille: 300, // A: an SIM swap at an operator store is needed (§1.3 how234, L).
    ceiling: "nfc-handset",
    campaigns: CAMPAIGNS,
  },
  behaviour: BEHAVIOUR(1.25), // §3.1 (H, derived): the baseline's ≈ 1.2 transactions per user per month.
  // §0, §1.4 (M-H): QR codes won; NFC < 10 % of mobile payments by 2017 (A for the factors).
  competition: { fromDate: "2016-01-01", imitationFactor: 0.3, activityFactor: 0.6 },
}

/**
 * The pilot's Jan–Apr 2014 baseline (§3.1, H derived from the pilot's own figures): ≈100,000
 * mobile-finance users — remote banking on smartphones, not SE cards ("users ≠ SE cards").
 */
export const BASELINE_2014: PopulationParams = {
  name: "baseline-2014",
  market: MARKET,
  handsets: PILOT_REALISTIC.handsets,
  lifecycle: LIFECYCLE,
  timeZeroDate: "2014-01-01",
  horizonDays: 120, // Jan–Apr 2014.
  adoption: {
    initialAdopters: 94_000, // T: the installed base on 2014-01-01.
    innovationPerYear: 0.03, // Bass p, literature mean (A).
    imitationPerYear: 0.38, // Bass q, literature mean (A).
    takeUpPermille: 100, // T: one smartphone user in ten banks on the phone.
    ceiling: "smartphone",
    campaigns: [],
  },
  behaviour: BEHAVIOUR(1.25), // T: §3.1's ≈ 1.2 transactions per user per month.
}

/**
 * Not a calibration of Guiyang: the synthetic population of scenario 02 (an issuance campaign on
 * the pilot's network). Every user has an NFC phone and takes a card (take-up 1,000 ‰), asks for
 * it inside a 30-day issue window (Bass p raised 300-fold there: the cumulative hazard over the
 * window is ≈ 12, so all but ~1 in 10^5 users ask in it, most in its first days), on the SE forms
 * of the old issuance scenario (NFC-SIM 85 %, NFC-SD 5 %, eSE 10 %), 80 % through the local banks
 * (the 贵州通 TSM) and 20 % through national banks' SP-TSMs. No payments: the scenario exercises
 * issuance and lifecycle only. Lifecycle rates are the scenario's own (its populationOverrides).
 */
export const ISSUANCE_CAMPAIGN: PopulationParams = {
  ...PILOT_PLAN,
  name: "issuance-campaign",
  horizonDays: 120,
  market: {
    ...MARKET,
    marketUsers: 1000,
    homeBanks: [
      { bankId: "GYB", scope: "local", weight: 50 },
      { bankId: "GZB", scope: "local", weight: 30 },
      { bankId: "CCB", scope: "national", weight: 20 },
    ],
  },
  handsets: {
    smartphoneShareByYear: [{ year: 2014, sharePermille: 1000 }],
    nfcShareByYear: [{ year: 2014, sharePermille: 1000 }],
    seTypeWeightsPermille: { "NFC-SIM": 850, "NFC-SD": 50, eSE: 100 },
    supportedSeTypes: ["NFC-SIM", "NFC-SD", "eSE"],
  },
  adoption: {
    initialAdopters: 0,
    innovationPerYear: 0.5,
    imitationPerYear: 0,
    takeUpPermille: 1000,
    ceiling: "nfc-handset",
    campaigns: [{ name: "issue window", startDate: "2014-08-01", durationDays: 30, innovationFactor: 300 }],
  },
  behaviour: BEHAVIOUR(0),
  lifecycle: LIFECYCLE,
}

/**
 * Not a calibration of Guiyang: the synthetic population of scenario 03 (a week of money flows).
 * 200 users, one in five at each of the five home banks by weight (a draw per user, so about 40
 * each), every one with an NFC phone and a card they ask for at once (Bass p ≈ 20 a day inside the
 * first day: all ask within hours of time zero, so their cards are issued before the week's
 * traffic builds up), then 10,000 transactions over seven days: 217.4 a month each is
 * 10,000 / 200 / 7 × 30.4375, of every kind of the pilot's mix. No losses, closures or SIM swaps.
 */
export const MONEY_WEEK: PopulationParams = {
  ...PILOT_PLAN,
  name: "money-week",
  horizonDays: 7,
  market: {
    ...MARKET,
    marketUsers: 200,
    homeBanks: MARKET.homeBanks.map((b) => ({ ...b, weight: 1 })),
  },
  handsets: ISSUANCE_CAMPAIGN.handsets,
  adoption: {
    initialAdopters: 0,
    innovationPerYear: 1,
    imitationPerYear: 0,
    takeUpPermille: 1000,
    ceiling: "nfc-handset",
    campaigns: [{ name: "cards at once", startDate: "2014-08-01", durationDays: 1, innovationFactor: 7300 }],
  },
  behaviour: { ...BEHAVIOUR(217.4), activityShape: 100 },
  lifecycle: {
    lossPermillePerYear: 0,
    reissuePermille: 0,
    reissueWaitDays: 7,
    closePermillePerYear: 0,
    simSwapPermillePerYear: 0,
  },
}

export const CALIBRATIONS: ReadonlyMap<string, PopulationParams> = new Map([
  [PILOT_PLAN.name, PILOT_PLAN],
  [PILOT_REALISTIC.name, PILOT_REALISTIC],
  [BASELINE_2014.name, BASELINE_2014],
  [ISSUANCE_CAMPAIGN.name, ISSUANCE_CAMPAIGN],
  [MONEY_WEEK.name, MONEY_WEEK],
])
