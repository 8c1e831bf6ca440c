/**
 * The flags of `tsm-twin card …`, checked before anything starts: each parser returns the value or
 * a sentence naming the flag and what it expects, which the command prints with exit code 2.
 */
import { CARD_PROFILES, type CardProfile, type CardProfileName } from "../../model/card/profile.ts"
import { ISD_KEY_CHOICES, type IsdKeyChoice } from "./card-keys.ts"
import { CARD_CONTENTS, type CardContent, type PowerCut } from "./served-card.ts"

export type Parsed<A> =
  | { readonly ok: true; readonly value: A }
  | { readonly ok: false; readonly error: string }

const ok = <A>(value: A): Parsed<A> => ({ ok: true, value })
const bad = <A>(error: string): Parsed<A> => ({ ok: false, error })

export const parseProfile = (text: string): Parsed<CardProfile> => {
  const profile = CARD_PROFILES[text as CardProfileName]
  return profile === undefined
    ? bad(`--profile must be one of ${Object.keys(CARD_PROFILES).join(", ")}, not ${JSON.stringify(text)}`)
    : ok(profile)
}

export const parseKeyChoice = (text: string): Parsed<IsdKeyChoice> =>
  (ISD_KEY_CHOICES as ReadonlyArray<string>).includes(text)
    ? ok(text as IsdKeyChoice)
    : bad(`--keys must be one of ${ISD_KEY_CHOICES.join(", ")}, not ${JSON.stringify(text)}`)

export const parseContent = (text: string): Parsed<CardContent> =>
  (CARD_CONTENTS as ReadonlyArray<string>).includes(text)
    ? ok(text as CardContent)
    : bad(`--content must be one of ${CARD_CONTENTS.join(", ")}, not ${JSON.stringify(text)}`)

export const parseSeed = (seed: number): Parsed<number> =>
  Number.isSafeInteger(seed) && seed >= 0 ? ok(seed) : bad(`--seed must be an integer ≥ 0, not ${seed}`)

/** HOST:PORT with a port 0-65535 (0 only where the caller listens and lets the system pick). */
export const parseHostPort = (flag: string, text: string): Parsed<{ host: string; port: number }> => {
  const match = /^(.+):(\d{1,5})$/.exec(text)
  const port = match === null ? Number.NaN : Number(match[2])
  if (match === null || port > 0xffff)
    return bad(`${flag} must be HOST:PORT with a port 0-65535, not ${JSON.stringify(text)}`)
  return ok({ host: match[1]!.replace(/^\[(.*)\]$/, "$1"), port })
}

/** N:W — the N-th STORE DATA (from 1), after its W-th NVM write (from 0). */
export const parsePowerCut = (text: string): Parsed<PowerCut> => {
  const match = /^(\d{1,6}):(\d{1,6})$/.exec(text)
  if (match === null || Number(match[1]) < 1)
    return bad(
      `--power-cut must be N:W (the N-th STORE DATA from 1, its W-th NVM write from 0), not ${JSON.stringify(text)}`,
    )
  return ok({ storeData: Number(match[1]), afterWrite: Number(match[2]) })
}

/** Yuan with at most two decimals ("300", "300.5", "300.50") to integer fen, 0.01-99,999,999.99. */
export const parseAmountFen = (text: string): Parsed<number> => {
  const match = /^(\d{1,8})(?:\.(\d{1,2}))?$/.exec(text)
  const fen = match === null ? 0 : Number(match[1]) * 100 + Number((match[2] ?? "").padEnd(2, "0"))
  return match === null || fen === 0
    ? bad(
        `--amount must be yuan with at most two decimals, above 0 (e.g. 300 or 12.34), not ${JSON.stringify(text)}`,
      )
    : ok(fen)
}
