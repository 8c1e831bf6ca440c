/**
 * The TSM's issuance of the PBOC application onto one card, as the card story runs it
 * (model/host/card-story/management-steps.ts): the ISD's secure channel, the bank's SSD with
 * Authorized Management and its keys, the PBOC package, then on the SSD's own channel PPSE + PBOC
 * installed and personalized by STORE DATA. The card is whatever `ctx.card` talks to: a simulated
 * card in this process (`card serve --content pboc`) or a card in a PC/SC reader
 * (`card personalize`). Only the ISD step differs from the story: it opens the key set the card
 * was issued with (test keys KVN FF, or the seeded ones).
 */
import { toHex } from "../../model/bytes/hex.ts"
import type { CardProfile } from "../../model/card/profile.ts"
import type { Crypto } from "../../model/crypto/crypto.ts"
import {
  createSsd,
  installPayment,
  loadPbocPackage,
  openSsd,
  personalize,
  putSsdKeys,
  type StepResult,
  selectSw,
} from "../../model/host/card-story/management-steps.ts"
import type { RecordingCard } from "../../model/host/card-story/recording-card.ts"
import { newStoryContext, type StoryContext } from "../../model/host/card-story/story-context.ts"
import { openSession } from "../../model/host/gp/gp-session.ts"
import type { CardKeys, IsdKeySet } from "./card-keys.ts"

/** C-MAC and C-DECRYPTION on every management command (GP 2.3 §10.6), as the story uses. */
const SECURITY_LEVEL_MAC_ENC = 0x03

export interface IssuanceStep {
  readonly title: string
  readonly run: (ctx: StoryContext) => StepResult
}

const hexSw = (sw: number): string => sw.toString(16).toUpperCase().padStart(4, "0")

/** SELECT the ISD and open its secure channel with the key set the card was issued with. */
const openIsdWith =
  (isd: IsdKeySet) =>
  (ctx: StoryContext): StepResult => {
    const sw = selectSw(ctx, ctx.profile.isdAid)
    if (sw !== 0x9000)
      return { ok: false, detail: `SELECT ISD ${toHex(ctx.profile.isdAid)} answered ${hexSw(sw)}` }
    const session = openSession(ctx.crypto, ctx.card.transmit, {
      protocol: ctx.profile.scp.protocol,
      keys: isd,
      kvn: isd.kvn,
      level: SECURITY_LEVEL_MAC_ENC,
      hostChallenge: ctx.hostChallenge(8),
    })
    if (!session.ok) {
      const e = session.error
      return { ok: false, detail: e.kind === "status" ? `${e.step} answered ${hexSw(e.sw)}` : e.kind }
    }
    ctx.session = session.value
    return {
      ok: true,
      detail: `${ctx.profile.scp.protocol} session on the ISD (KVN ${isd.kvn.toString(16).toUpperCase()})`,
    }
  }

export const issuanceSteps = (keys: CardKeys): ReadonlyArray<IssuanceStep> => [
  { title: "open the ISD secure channel", run: openIsdWith(keys.isd) },
  { title: "create the bank SSD (Authorized Management)", run: createSsd },
  { title: "PUT KEY the SSD's key set", run: putSsdKeys },
  { title: "load the PBOC package", run: loadPbocPackage },
  { title: "open the SSD secure channel", run: openSsd },
  { title: "install PPSE and PBOC under the SSD", run: installPayment },
  { title: "personalize (STORE DATA, DGI 8000 encrypted)", run: personalize },
]

/**
 * The story's context for `card`: account, SSD keys and issuer master keys from the seed, the ISD
 * keys as chosen, and the host challenges and unpredictable numbers from the seed's streams.
 */
export const contextOnCard = (
  crypto: Crypto,
  profile: CardProfile,
  seed: number,
  keys: CardKeys,
  card: RecordingCard,
): StoryContext => {
  const base = newStoryContext({ seed, crypto, profile, record: false })
  return { ...base, card, keys: { isd: keys.isd, ssd: keys.ssd, imks: keys.imks }, session: null }
}

export interface IssuanceRecord {
  readonly title: string
  readonly ok: boolean
  readonly detail: string
}

/** Runs the steps in order, stopping at the first that fails. */
export const issuePboc = (ctx: StoryContext, keys: CardKeys): ReadonlyArray<IssuanceRecord> => {
  const records: IssuanceRecord[] = []
  for (const step of issuanceSteps(keys)) {
    const result = step.run(ctx)
    records.push({ title: step.title, ...result })
    if (!result.ok) break
  }
  return records
}
