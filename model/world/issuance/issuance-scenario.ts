/**
 * The first scenario Schema (issue 5; it grows in the pilot issue): a population of users who
 * issue, lose, reissue and close cards on real SEs, the platform's parameters with their units in
 * the field names, and outage windows for MTPS and the SE issuers. Figures and their sources:
 * ../shared/CALIBRATION.md (§2.4 OTA, §2.5 availability, §3.4 loss and SIM swap) and, for the
 * bearers, model/parties/ota/ota-bearer.ts; where none exists the field's doc says "assumption".
 */
import { Schema } from "effect"
import { TargetsList } from "../phase-target.ts"
import { NonNegativeInt, Permille, PositiveInt } from "../scenario-numbers.ts"
import {
  decodeFieldwise,
  decodeStrict,
  pathText,
  type ScenarioFailure,
  type ScenarioProblem,
  scenarioFailure,
} from "../scenario-problems.ts"

export const Window = Schema.Struct({
  startMinute: NonNegativeInt,
  durationMinutes: PositiveInt,
})

const LatencyRange = Schema.Struct({ msMin: NonNegativeInt, msMax: NonNegativeInt })

/** Outage windows per list at most (a documented bound, README "Scenarios"). */
export const ISSUANCE_OUTAGES_MAX = 1000

/** The SE issuers by scenario id: three telcos (NFC-SIM), an NFC-SD issuer, a handset maker (eSE). */
export const SE_ISSUER_IDS = ["cmcc", "cucc", "ctcc", "nfcsd", "ese"] as const
const SeIssuerId = Schema.Literals(SE_ISSUER_IDS)
const Bearer = Schema.Literals(["sms-pp", "bip", "http-admin"])

export const IssuanceScenario = Schema.Struct({
  /** The JSON Schema an editor completes this file against (`tsm-twin schema`); ignored by runs. */
  $schema: Schema.optional(Schema.String),
  /** "issuance", or absent: the kind a file without `kind` is. */
  kind: Schema.optional(Schema.Literal("issuance")),
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
  mtpsOutages: Schema.Array(Window).check(Schema.isMaxLength(ISSUANCE_OUTAGES_MAX)),
  /** Outages of SE issuers by scenario id. */
  seIssuerOutages: Schema.Array(Schema.Struct({ issuer: SeIssuerId, window: Window })).check(
    Schema.isMaxLength(ISSUANCE_OUTAGES_MAX),
  ),
  retryAttemptsMax: PositiveInt,
  retryBackoffSecondsBase: PositiveInt,
  retryBackoffSecondsMax: PositiveInt,
  stepTimeoutSeconds: PositiveInt,
  envelopeWindowSeconds: PositiveInt,
  /** Phase targets the run report judges (app/report/targets.ts); omitted = none. */
  targets: TargetsList,
})

export type IssuanceScenario = typeof IssuanceScenario.Type

export type ScenarioDecode = { readonly ok: true; readonly value: IssuanceScenario } | ScenarioFailure

/** Cross-field rules on whatever fields decoded; every problem names its path. */
const problemsOf = (s: Partial<IssuanceScenario>): ScenarioProblem[] => {
  const problems: ScenarioProblem[] = []
  const { selfServicePermille: a, localBankPermille: b, nonLocalBankPermille: c } = s
  if (a !== undefined && b !== undefined && c !== undefined && a + b + c !== 1000)
    problems.push({
      at: pathText(["selfServicePermille"]),
      text: `path shares must add up to 1000 permille, not ${a + b + c}`,
    })
  if (s.nfcSdPermille !== undefined && s.embeddedSePermille !== undefined)
    if (s.nfcSdPermille + s.embeddedSePermille > 1000)
      problems.push({ at: pathText(["nfcSdPermille"]), text: "SE shares exceed 1000 permille" })
  for (const key of ["interInstitutionLatency", "walletLatency"] as const) {
    const range = s[key] as Partial<IssuanceScenario[typeof key]> | undefined
    if (range?.msMin !== undefined && range.msMax !== undefined && range.msMax < range.msMin)
      problems.push({ at: pathText([key, "msMax"]), text: `${range.msMax} must be ≥ msMin ${range.msMin}` })
  }
  if (s.issueWindowDays !== undefined && s.durationDays !== undefined && s.issueWindowDays > s.durationDays)
    problems.push({
      at: pathText(["issueWindowDays"]),
      text: `${s.issueWindowDays} days of requests do not fit in a ${s.durationDays}-day run`,
    })
  const { retryBackoffSecondsBase: base, retryBackoffSecondsMax: max } = s
  if (base !== undefined && max !== undefined && max < base)
    problems.push({
      at: pathText(["retryBackoffSecondsMax"]),
      text: `${max} must be ≥ retryBackoffSecondsBase ${base}`,
    })
  return problems
}

/** Decodes untrusted JSON: closed objects, every error with its path, cross-field rules in the same pass. */
export const decodeIssuanceScenario = (input: unknown): ScenarioDecode => {
  const decoded = decodeStrict(IssuanceScenario, input)
  const partial = decoded.ok ? decoded.value : decodeFieldwise(IssuanceScenario, input)
  const problems = [...(decoded.ok ? [] : decoded.problems), ...problemsOf(partial)]
  return decoded.ok && problems.length === 0 ? decoded : scenarioFailure(problems)
}
