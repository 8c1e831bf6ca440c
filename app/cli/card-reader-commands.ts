/**
 * `tsm-twin card personalize --reader NAME` and `tsm-twin card pay --reader NAME --amount A`: the
 * twin's TSM and terminal on a card in a PC/SC reader (a real JavaCard SE, another emulator, or the
 * twin's own `card serve` behind vpcd). Both take the seed that fixes the account, the SSD keys and
 * the issuer master keys, so the same seed personalizes and then pays. Exit code 0 when the card
 * did what was asked (personalized; an approved payment whose ARQC the issuer host verified),
 * 1 when it did not, 2 for bad flags or a reader that cannot be reached.
 */
import { randomBytes } from "node:crypto"
import { Console, Effect } from "effect"
import { Command, Flag } from "effect/cli"
import { toHex } from "../../model/bytes/hex.ts"
import type { CardProfile } from "../../model/card/profile.ts"
import { nativeCrypto } from "../../model/crypto/native-crypto.ts"
import { type Parsed, parseAmountFen, parseKeyChoice, parseProfile, parseSeed } from "../card/card-flags.ts"
import { cardKeys } from "../card/card-keys.ts"
import { contextOnCard, issuePboc } from "../card/pboc-issuance.ts"
import { PcscFailure } from "../card/pcsc-reader.ts"
import { type Payment, paymentApproved, payOnline } from "../card/reader-payment.ts"
import { openReaderSession, type ReaderSession } from "../card/reader-session.ts"
import { BadInput, CheckFailed } from "../run/errors.ts"

const failWith = (command: string, message: string) =>
  Effect.fail(
    new BadInput({
      reason: "usage",
      subject: `tsm-twin card ${command}`,
      problems: [{ at: "", text: message }],
    }),
  )

const readerFlag = Flag.String("reader").pipe(
  Flag.withDescription("the PC/SC reader's name, or the start of it (pcsc_scan -r lists them)"),
)
const seedFlag = Flag.Int("seed").pipe(
  Flag.withDefault(1),
  Flag.withDescription("seed of the account, SSD and issuer keys"),
)
const profileFlag = Flag.String("profile").pipe(
  Flag.optional,
  Flag.withDescription("NFC-SIM, NFC-SD or eSE (default: the profile whose ATR the card gives)"),
)

const optionalProfile = (
  flag: { _tag: "Some"; value: string } | { _tag: "None" },
): Parsed<CardProfile | null> => (flag._tag === "Some" ? parseProfile(flag.value) : { ok: true, value: null })

/** Opens the reader, runs `use`, always disconnects; a PC/SC failure becomes exit 2 with its message. */
const withReader = <A>(
  command: string,
  reader: string,
  profile: CardProfile | null,
  use: (session: ReaderSession) => A,
) =>
  Effect.gen(function* () {
    const opened = yield* Effect.result(
      Effect.try(() => openReaderSession(reader, profile, Date.now() * 1000)),
    )
    if (opened._tag === "Failure")
      return yield* Effect.as(failWith(command, String((opened.failure.cause as Error).message)), null)
    const opening = opened.success
    if (!opening.ok) return yield* Effect.as(failWith(command, opening.error), null)
    const session = opening.session
    const used = yield* Effect.result(
      Effect.try(() => use(session)).pipe(Effect.ensuring(Effect.sync(() => session.reader.close(false)))),
    )
    if (used._tag === "Success") return used.success
    const cause = used.failure.cause
    if (cause instanceof PcscFailure) return yield* Effect.as(failWith(command, cause.message), null)
    return yield* Effect.die(cause)
  })

export const cardPersonalizeCommand = Command.make(
  "personalize",
  {
    reader: readerFlag,
    keys: Flag.String("keys").pipe(
      Flag.withDefault("test"),
      Flag.withDescription(
        "the card's ISD keys: test (GP test keys 40..4F) or seed (card serve --keys seed)",
      ),
    ),
    seed: seedFlag,
    profile: profileFlag,
  },
  Effect.fn(function* (f) {
    const profile = optionalProfile(f.profile)
    const keyChoice = parseKeyChoice(f.keys)
    const seed = parseSeed(f.seed)
    for (const p of [profile, keyChoice, seed]) if (!p.ok) return yield* failWith("personalize", p.error)
    if (!profile.ok || !keyChoice.ok || !seed.ok) return
    const result = yield* withReader("personalize", f.reader, profile.value, (session) => {
      const keys = cardKeys(nativeCrypto, session.profile, seed.value, keyChoice.value)
      const ctx = contextOnCard(nativeCrypto, session.profile, seed.value, keys, session.card)
      return { session, records: issuePboc(ctx, keys), pan: ctx.data.account.pan }
    })
    if (result === null) return
    const { session, records, pan } = result
    yield* Console.log(
      `card personalize: reader ${JSON.stringify(session.reader.readerName)}, ATR ${toHex(session.reader.atr)}, ${session.profile.name} (${session.profile.scp.protocol}), seed ${seed.value}`,
    )
    for (const [i, r] of records.entries())
      yield* Console.log(
        `${String(i + 1).padStart(2)}. ${r.title.padEnd(46)} ${r.ok ? "ok  " : "FAIL"} ${r.detail}`,
      )
    const ok = records.length === 7 && records.every((r) => r.ok)
    yield* Console.log(
      ok ? `personalized: PAN ${pan}, ${session.card.exchanges().length} APDUs` : "personalization failed",
    )
    if (!ok)
      return yield* Effect.fail(
        new CheckFailed({ reason: "story-failed", summary: "card personalize: a step failed (see above)" }),
      )
  }),
).pipe(
  Command.withDescription(
    "run the TSM's GP issuance and personalization of PBOC onto the card in a PC/SC reader",
  ),
)

const describePayment = (p: Payment): ReadonlyArray<string> => {
  const o = p.outcome
  const lines: string[] = []
  if (p.issuer !== null) {
    const r = p.issuer.request
    lines.push(
      `issuer host: PAN ${r.pan}, ATC ${r.atc}, ARQC ${toHex(r.arqc)} ${p.issuer.arqcVerified ? "verified" : "does NOT verify"}`,
    )
  }
  if (o.kind === "approved-online")
    lines.push(`approved online: ARQC ${toHex(o.arqc)}, TC ${o.tc === null ? "none" : toHex(o.tc)}`)
  else if (o.kind === "declined") lines.push(`declined (${o.reason})`)
  else if (o.kind === "error")
    lines.push(`error at ${o.step}: ${o.message} (SW ${o.sw.toString(16).toUpperCase()})`)
  else lines.push(o.kind === "card-blocked" ? "card blocked" : `approved offline (ATC ${o.atc})`)
  return lines
}

export const cardPayCommand = Command.make(
  "pay",
  {
    reader: readerFlag,
    amount: Flag.String("amount").pipe(Flag.withDescription("yuan, e.g. 300 or 12.34")),
    seed: seedFlag,
    profile: profileFlag,
  },
  Effect.fn(function* (f) {
    const profile = optionalProfile(f.profile)
    const amount = parseAmountFen(f.amount)
    const seed = parseSeed(f.seed)
    for (const p of [profile, amount, seed]) if (!p.ok) return yield* failWith("pay", p.error)
    if (!profile.ok || !amount.ok || !seed.ok) return
    // A terminal's transaction date and unpredictable number are today's and random (EMV Book 4 §6.5.6).
    const dateYymmdd = new Date().toISOString().slice(2, 10).replaceAll("-", "")
    const result = yield* withReader("pay", f.reader, profile.value, (session) => {
      // Only the issuer master keys and the account matter here; the ISD key choice does not.
      const keys = cardKeys(nativeCrypto, session.profile, seed.value, "test")
      const ctx = contextOnCard(nativeCrypto, session.profile, seed.value, keys, session.card)
      const payment = payOnline(session.card, {
        crypto: nativeCrypto,
        algorithm: ctx.algorithm,
        imks: keys.imks,
        amountFen: amount.value,
        dateYymmdd,
        unpredictableNumber: randomBytes(4),
      })
      return { session, payment }
    })
    if (result === null) return
    yield* Console.log(
      `card pay: reader ${JSON.stringify(result.session.reader.readerName)}, ${(amount.value / 100).toFixed(2)} yuan, date ${dateYymmdd}, seed ${seed.value}`,
    )
    for (const line of describePayment(result.payment)) yield* Console.log(line)
    if (!paymentApproved(result.payment))
      return yield* Effect.fail(
        new CheckFailed({
          reason: "story-failed",
          summary: "card pay: the payment was not approved (see above)",
        }),
      )
  }),
).pipe(
  Command.withDescription(
    "run a qPBOC/PBOC online purchase on the card in a PC/SC reader, the twin's issuer host verifying the ARQC",
  ),
)
