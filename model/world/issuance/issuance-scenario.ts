/**
 * The first scenario Schema (issue 5; it grows in the pilot issue): a population of users who
 * issue, lose, reissue and close cards on real SEs, the platform's parameters with their units in
 * the field names, and outage windows for MTPS and the SE issuers. Figures and their sources:
 * ../shared/CALIBRATION.md (§2.4 OTA, §2.5 availability, §3.4 loss and SIM swap) and, for the
 * bearers, model/parties/ota/ota-bearer.ts; where none exists the field's doc says "assumption".
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

/** The SE issuers by scenario id: three telcos (NFC-SIM), an NFC-SD issuer, a handset maker (eSE). */
export const SE_ISSUER_IDS = ["cmcc", "cucc", "ctcc", "nfcsd", "ese"] as const
const SeIssuerId = Schema.Literals(SE_ISSUER_IDS)
const Bearer = Schema.Literals(["sms-pp", "bip", "http-admin"])

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
  /** Users whose SE is an NFC-SD card or the handset's embedded SE; the rest hold NFC-SIMs. */
  nfcSdPermille: Permille,
  embeddedSePermille: Permille,
  lossPermille: Permille,
  /** NFC-SIM users who later swap their SIM (same number, new card; CALIBRATION.md §3.4). */
  simSwapPermille: Permille,
  closePermille: Permille,
  /** 补卡 waiting period before the new card is made and the e-cash balance moved. */
  reissueWaitDays: NonNegativeInt,
  /** How often the local bank's CMS sends its batch file of issuance orders (assumption). */
  batchIntervalMinutes: PositiveInt,
  initialBalanceFen: NonNegativeInt,
  interInstitutionLatency: LatencyRange,
  /**
   * Envelopes an inter-institution link delivers twice, per mille: an at-least-once transport
   * retransmitting after a lost acknowledgement (assumption). Each receiver's verifier must reject
   * the second copy as replayed.
   */
  envelopeDuplicationPermille: Permille,
  walletLatency: LatencyRange,
  /** Each SE issuer's OTA bearer (model/parties/ota/ota-bearer.ts has the figures). */
  otaBearers: Schema.Struct({ cmcc: Bearer, cucc: Bearer, ctcc: Bearer, nfcsd: Bearer, ese: Bearer }),
  seApduMs: PositiveInt,
  mtpsServers: PositiveInt,
  mtpsServiceUs: PositiveInt,
  mtpsQueueMax: PositiveInt,
  mtpsOutages: Schema.Array(Window),
  /** Outages of SE issuers by scenario id. */
  seIssuerOutages: Schema.Array(Schema.Struct({ issuer: SeIssuerId, window: Window })),
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
    if (value.nfcSdPermille + value.embeddedSePermille > 1000)
      return {
        ok: false,
        message: `SE shares exceed 1000 permille\n  at ["nfcSdPermille"]`,
      }
    return { ok: true, value }
  } catch (error) {
    return { ok: false, message: error instanceof Error ? error.message : String(error) }
  }
}
