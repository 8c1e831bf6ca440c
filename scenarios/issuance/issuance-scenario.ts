/**
 * The first scenario Schema (issue 5; it grows in the pilot issue): a population of users who
 * issue, lose, reissue and close cards on real SEs, the platform's parameters with their units in
 * the field names, and outage windows for MTPS and the SE issuers. Every figure's source is in
 * scenarios/issuance/calibration-notes.md.
 */
import { Schema } from "effect"

const NonNegativeInt = Schema.Int.check(Schema.isGreaterThanOrEqualTo(0))
const PositiveInt = Schema.Int.check(Schema.isGreaterThanOrEqualTo(1))
const Permille = Schema.Int.check(Schema.isGreaterThanOrEqualTo(0), Schema.isLessThanOrEqualTo(1000))

export const Window = Schema.Struct({
  startMinute: NonNegativeInt,
  durationMinutes: PositiveInt,
})

const LatencyRange = Schema.Struct({ msMin: NonNegativeInt, msMax: NonNegativeInt })

export const IssuanceScenario = Schema.Struct({
  name: Schema.String,
  seed: NonNegativeInt,
  users: PositiveInt,
  /** Issuance requests spread uniformly over this many days. */
  issueWindowDays: PositiveInt,
  /** The run stops here; orders still open then count as non-terminal (a violation). */
  durationDays: PositiveInt,
  /** Shares of the three issuance paths; they must add up to 1000. */
  selfServicePermille: Permille,
  localBankPermille: Permille,
  nonLocalBankPermille: Permille,
  lossPermille: Permille,
  closePermille: Permille,
  /** 补卡 waiting period before the new card is made and the e-cash balance moved. */
  reissueWaitDays: NonNegativeInt,
  initialBalanceFen: NonNegativeInt,
  interInstitutionLatency: LatencyRange,
  walletLatency: LatencyRange,
  otaLatency: LatencyRange,
  otaLossPermille: Permille,
  seApduMs: PositiveInt,
  mtpsServers: PositiveInt,
  mtpsServiceUs: PositiveInt,
  mtpsQueueMax: PositiveInt,
  mtpsOutages: Schema.Array(Window),
  /** Outages of SE issuers by id (cmcc, cucc, ctcc). */
  seIssuerOutages: Schema.Array(
    Schema.Struct({ issuer: Schema.Literals(["cmcc", "cucc", "ctcc"]), window: Window }),
  ),
  retryAttemptsMax: PositiveInt,
  retryBackoffSecondsBase: PositiveInt,
  retryBackoffSecondsMax: PositiveInt,
  stepTimeoutSeconds: PositiveInt,
  envelopeWindowSeconds: PositiveInt,
})

export type IssuanceScenario = typeof IssuanceScenario.Type

export type ScenarioDecode =
  | { readonly ok: true; readonly value: IssuanceScenario }
  | { readonly ok: false; readonly message: string }

/** Decodes untrusted JSON; the message names every bad path and what was expected there. */
export const decodeIssuanceScenario = (input: unknown): ScenarioDecode => {
  try {
    const value = Schema.decodeUnknownSync(IssuanceScenario)(input, { errors: "all" })
    const shares = value.selfServicePermille + value.localBankPermille + value.nonLocalBankPermille
    if (shares !== 1000)
      return {
        ok: false,
        message: `path shares must add up to 1000 permille, not ${shares}\n  at ["selfServicePermille"]`,
      }
    return { ok: true, value }
  } catch (error) {
    return { ok: false, message: error instanceof Error ? error.message : String(error) }
  }
}
