/**
 * `tsm-twin card serve`: one twin secure element behind vsmartcard's virtual reader (vpcd), so
 * pcsc_scan, opensc-tool, pyscard scripts and any PC/SC program reach it like a card in a reader.
 * The card is the model's (app/card/served-card.ts); this file reads the flags, prints the keys and
 * the issuance, opens the TCP link (app/card/vpcd-link.ts) and keeps it open until interrupted.
 * Exit code 2 for a bad flag, an unwritable file or an address that cannot be listened on.
 */
import { appendFileSync, writeFileSync } from "node:fs"
import { Effect } from "effect"
import { Command, Flag } from "effect/cli"
import { pcapGlobalHeader } from "../../model/apdu/pcap-file.ts"
import { iso14443Framing } from "../../model/apdu/pcap-iso14443.ts"
import { toHex } from "../../model/bytes/hex.ts"
import { nativeCrypto } from "../../model/crypto/native-crypto.ts"
import {
  parseContent,
  parseHostPort,
  parseKeyChoice,
  parsePowerCut,
  parseProfile,
  parseSeed,
} from "../card/card-flags.ts"
import { cardKeys, keysDocument } from "../card/card-keys.ts"
import { serveCard } from "../card/served-card.ts"
import { openVpcdLink } from "../card/vpcd-link.ts"
import { BadInput, CheckFailed } from "../run/errors.ts"

const fail = (message: string) =>
  Effect.fail(
    new BadInput({ reason: "usage", subject: "tsm-twin card serve", problems: [{ at: "", text: message }] }),
  )

const flags = {
  profile: Flag.String("profile").pipe(
    Flag.withDefault("NFC-SIM"),
    Flag.withDescription("NFC-SIM, NFC-SD or eSE"),
  ),
  keys: Flag.String("keys").pipe(
    Flag.withDefault("test"),
    Flag.withDescription("the ISD key set: test (GP test keys 40..4F, KVN FF) or seed (drawn from --seed)"),
  ),
  content: Flag.String("content").pipe(
    Flag.withDefault("pboc"),
    Flag.withDescription("pboc (the TSM has issued and personalized PPSE + PBOC) or empty (the ISD only)"),
  ),
  seed: Flag.Int("seed").pipe(
    Flag.withDefault(1),
    Flag.withDescription("seed of the account, SSD and issuer keys"),
  ),
  keysOut: Flag.String("keys-out").pipe(
    Flag.optional,
    Flag.withDescription("write the card's keys (JSON) here"),
  ),
  vpcd: Flag.String("vpcd").pipe(
    Flag.withDefault("127.0.0.1:35963"),
    Flag.withDescription("vpcd's address (connect mode), or the address to listen on with --listen"),
  ),
  listen: Flag.Boolean("listen").pipe(
    Flag.withDefault(false),
    Flag.withDescription("reversed mode: listen, vpcd connects (DEVICENAME HOST:PORT)"),
  ),
  log: Flag.String("log").pipe(Flag.optional, Flag.withDescription("also append the APDU log to this file")),
  pcap: Flag.String("pcap").pipe(
    Flag.optional,
    Flag.withDescription("write every exchange to this pcap (ISO 14443, link type 264)"),
  ),
  powerCut: Flag.String("power-cut").pipe(
    Flag.optional,
    Flag.withDescription("N:W — cut power after NVM write W (from 0) of the N-th STORE DATA (from 1)"),
  ),
}

export const cardServeCommand = Command.make(
  "serve",
  flags,
  Effect.fn(function* (f) {
    const profile = parseProfile(f.profile)
    const keyChoice = parseKeyChoice(f.keys)
    const content = parseContent(f.content)
    const seed = parseSeed(f.seed)
    const address = parseHostPort("--vpcd", f.vpcd)
    const powerCut =
      f.powerCut._tag === "Some" ? parsePowerCut(f.powerCut.value) : ({ ok: true, value: null } as const)
    for (const p of [profile, keyChoice, content, seed, address, powerCut])
      if (!p.ok) return yield* fail(p.error)
    if (!profile.ok || !keyChoice.ok || !content.ok || !seed.ok || !address.ok || !powerCut.ok) return
    const keys = cardKeys(nativeCrypto, profile.value, seed.value, keyChoice.value)
    const logFile = f.log._tag === "Some" ? f.log.value : null
    const pcap = f.pcap._tag === "Some" ? f.pcap.value : null
    const written = yield* Effect.result(
      Effect.try(() => {
        if (f.keysOut._tag === "Some")
          writeFileSync(f.keysOut.value, `${keysDocument(keys, profile.value, seed.value)}\n`)
        if (logFile !== null) writeFileSync(logFile, "")
        if (pcap !== null) writeFileSync(pcap, pcapGlobalHeader(iso14443Framing.linkType))
      }),
    )
    if (written._tag === "Failure")
      return yield* fail(`cannot write an output file: ${String(written.failure.cause)}`)
    const log = (line: string): void => {
      process.stdout.write(`${line}\n`)
      if (logFile !== null) appendFileSync(logFile, `${line}\n`)
    }
    const card = serveCard({
      profile: profile.value,
      content: content.value,
      keys,
      seed: seed.value,
      crypto: nativeCrypto,
      powerCut: powerCut.value,
      log,
      clockUs: () => Date.now() * 1000,
      ...(pcap === null
        ? {}
        : // Appended as they happen, so a killed serve leaves a readable trace; each exchange is
          // framed on its own, so every I-block carries block number 0.
          { onExchange: (e) => appendFileSync(pcap, Buffer.concat(iso14443Framing.records([e]))) }),
    })
    log(
      `card serve: ${profile.value.name} (${profile.value.scp.protocol}), ATR ${toHex(card.atr)}, content ${content.value}, seed ${seed.value}`,
    )
    log(
      keyChoice.value === "test"
        ? `ISD ${toHex(profile.value.isdAid)} keys: GP test keys ${toHex(keys.isd.enc)} (ENC = MAC = DEK), KVN ${keys.isd.kvn.toString(16).toUpperCase()}`
        : `keys: ${keysDocument(keys, profile.value, seed.value).replaceAll(/\s+/g, " ")}`,
    )
    for (const step of card.issuance)
      log(`issuance: ${step.title}: ${step.ok ? "ok" : "FAILED"} — ${step.detail}`)
    if (card.issuance.some((s) => !s.ok))
      return yield* Effect.fail(
        new CheckFailed({
          reason: "story-failed",
          summary: "card serve: the card's issuance failed (see above)",
        }),
      )
    const mode = { kind: f.listen ? "listen" : "connect", ...address.value } as const
    const link = yield* Effect.acquireRelease(
      Effect.result(Effect.tryPromise(() => openVpcdLink({ mode, respond: card.respond, log }))),
      (opened) => (opened._tag === "Success" ? Effect.promise(() => opened.success.close()) : Effect.void),
    )
    if (link._tag === "Failure")
      return yield* fail(`cannot listen on ${f.vpcd}: ${String(link.failure.cause)}`)
    log(`nvm: ${card.nvmDigest()} — ready; Ctrl-C stops`)
    yield* Effect.never
  }, Effect.scoped),
).pipe(
  Command.withDescription(
    "put one twin secure element behind vpcd, for pcsc_scan, opensc-tool, pyscard and any PC/SC tool",
  ),
  Command.withExamples([
    {
      command: "tsm-twin card serve --keys test",
      description: "PPSE + PBOC issued, ISD on GP test keys, vpcd at 127.0.0.1:35963",
    },
    {
      command: "tsm-twin card serve --content empty --listen --vpcd 127.0.0.1:35963",
      description: "an empty card, vpcd in reversed mode",
    },
  ]),
)
