/**
 * `tsm-twin card-demo --pcap <file> [--format iso14443|gsmtap-sim] [--seed N] [--oda rsa|sm2|none]
 * [--bearer sms-pp]`: runs one card's story end to end (model/host/card-story/card-story.ts) — SSD
 * creation, PUT KEY, install, personalization (with fDDA keys and certificates unless --oda none),
 * qPBOC offline with fDDA, online with ARPC, 圈存 load, block, delete — prints each step
 * with its outcome and status words, and writes the APDU trace for Wireshark/tshark
 * (PROTOCOLS.md §4). Exit code 0 when every step did what it asked, 1 when one did not, 2 for a
 * bad flag or an unwritable trace path. With `--bearer sms-pp` it runs an OTA session instead
 * (model/ota/ota-sms-session.ts): GP scripts in TS 102 225 packets inside SMS-DELIVERs inside
 * ENVELOPE (SMS-PP DOWNLOAD), written as GSMTAP-SIM whatever --format says, since only gsm_sim
 * hands ENVELOPE data to the etsi_cat and gsm_sms dissectors.
 */
import { resolve } from "node:path"
import { Console, Effect, FileSystem } from "effect"
import { Command, Flag } from "effect/cli"
import { type PcapFraming, pcapFile } from "../../model/apdu/pcap-file.ts"
import { gsmtapSimFraming } from "../../model/apdu/pcap-gsmtap-sim.ts"
import { iso14443Framing } from "../../model/apdu/pcap-iso14443.ts"
import { nativeCrypto } from "../../model/crypto/native-crypto.ts"
import { type CardStory, runCardStory } from "../../model/host/card-story/card-story.ts"
import { type OtaSmsSession, runOtaSmsSession } from "../../model/ota/ota-sms-session.ts"
import { BadInput, CheckFailed } from "../run/errors.ts"

const FORMATS: Readonly<Record<string, { framing: PcapFraming; tshark: (file: string) => string }>> = {
  iso14443: {
    framing: iso14443Framing,
    tshark: (file) =>
      `tshark -r ${shellQuote(file)} -d 'iso14443.subdissector,iso7816' -T fields -e frame.number ` +
      "-e iso7816.apdu.cla -e iso7816.apdu.ins -e iso7816.apdu.p1 -e iso7816.apdu.p2 " +
      "-e iso7816.apdu.sw1 -e iso7816.apdu.sw2",
  },
  "gsmtap-sim": {
    framing: gsmtapSimFraming,
    tshark: (file) =>
      `tshark -r ${shellQuote(file)} -T fields -e frame.number -e gsm_sim.apdu.ins ` +
      "-e gsm_sim.apdu.p1 -e gsm_sim.apdu.p2 -e gsm_sim.apdu.sw",
  },
}

const shellQuote = (text: string): string =>
  /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replaceAll("'", `'"'"'`)}'`

const hexSw = (sw: number): string => sw.toString(16).toUpperCase().padStart(4, "0")

/** One block per step: number, actor, title, verdict, the SWs on the wire, then what happened. */
export const formatStory = (story: CardStory): string => {
  const lines = story.steps.map((s, i) => {
    const head = `${String(i + 1).padStart(2)}. ${s.step.actor.padEnd(8)} ${s.step.title.padEnd(46)} ${s.ok ? "ok  " : "FAIL"}`
    return `${head} SW ${s.sws.map(hexSw).join(" ")}\n              ${s.detail}`
  })
  return lines.join("\n")
}

/** A bad flag: exit 2 through app/run/exit.ts, named by its flag. */
const fail = (flag: string, text: string) =>
  Effect.fail(
    new BadInput({ reason: "invalid-flag", subject: "tsm-twin card-demo", problems: [{ at: flag, text }] }),
  )

/** One line per OTA step: the PoR status against the expected one and the SWs of the script. */
export const formatOtaSession = (session: OtaSmsSession): string =>
  session.steps
    .map((s, i) => {
      const status = s.porStatus === null ? "no PoR" : `PoR ${s.porStatus.toString(16).padStart(2, "0")}`
      const verdict = s.porStatus === s.expectedStatus ? "ok  " : "FAIL"
      return `${String(i + 1).padStart(2)}. ota-sms  ${s.title.padEnd(46)} ${verdict} ${status}, ${s.commandPacketBytes}-byte packet in ${s.smsCount} SMS, SW ${s.sws.map(hexSw).join(" ")}`
    })
    .join("\n")

const writeTrace = (pcap: string, bytes: Uint8Array) =>
  Effect.gen(function* () {
    const fs = yield* FileSystem.FileSystem
    const written = yield* Effect.result(fs.writeFile(resolve(pcap), bytes))
    return written._tag === "Failure" ? written.failure.message : null
  })

const runSmsPp = (pcap: string, seed: number) =>
  Effect.gen(function* () {
    const session = runOtaSmsSession(nativeCrypto, seed)
    yield* Console.log(`card-demo: seed ${seed}, OTA over SMS-PP to an NFC-SIM's ISD (3DES, CC, ciphered)`)
    yield* Console.log(formatOtaSession(session))
    const bytes = pcapFile(gsmtapSimFraming, session.exchanges)
    const failure = yield* writeTrace(pcap, bytes)
    if (failure !== null) return yield* fail("--pcap", `${JSON.stringify(pcap)} is not writable: ${failure}`)
    yield* Console.log(
      `trace: ${session.exchanges.length} ENVELOPE (SMS-PP DOWNLOAD) exchanges, gsmtap-sim, ${bytes.length} bytes → ${resolve(pcap)}\n` +
        `read it with:\n  tshark -r ${shellQuote(resolve(pcap))} -V -Y gsm_sms`,
    )
    if (!session.ok)
      return yield* Effect.fail(
        new CheckFailed({
          reason: "story-failed",
          summary: "card-demo: an OTA step did not end as expected (see above)",
        }),
      )
  })

export const cardDemoCommand = Command.make(
  "card-demo",
  {
    pcap: Flag.String("pcap").pipe(Flag.withDescription("where to write the APDU trace (a pcap file)")),
    format: Flag.String("format").pipe(
      Flag.withDefault("iso14443"),
      Flag.withDescription("trace framing: iso14443 (link type 264) or gsmtap-sim (decodes GP headers)"),
    ),
    seed: Flag.Int("seed").pipe(Flag.withDefault(1), Flag.withDescription("the seed of keys and challenges")),
    oda: Flag.String("oda").pipe(
      Flag.withDefault("rsa"),
      Flag.withDescription("offline data authentication of the card and reader: rsa, sm2 or none"),
    ),
    bearer: Flag.String("bearer").pipe(
      Flag.withDefault("none"),
      Flag.withDescription("none (the card story) or sms-pp (an OTA session as ENVELOPE SMS-PP DOWNLOADs)"),
    ),
  },
  Effect.fn(function* ({ pcap, format, seed, oda, bearer }) {
    if (bearer !== "none" && bearer !== "sms-pp")
      return yield* fail("--bearer", `must be one of none, sms-pp, not ${JSON.stringify(bearer)}`)
    const chosen = FORMATS[format]
    if (chosen === undefined)
      return yield* fail(
        "--format",
        `must be one of ${Object.keys(FORMATS).join(", ")}, not ${JSON.stringify(format)}`,
      )
    if (!Number.isSafeInteger(seed) || seed < 0)
      return yield* fail("--seed", `must be a safe integer ≥ 0, not ${seed}`)
    if (bearer === "sms-pp") return yield* runSmsPp(pcap, seed)
    if (oda !== "rsa" && oda !== "sm2" && oda !== "none")
      return yield* fail("--oda", `must be one of rsa, sm2, none, not ${JSON.stringify(oda)}`)
    const story = runCardStory({ seed, crypto: nativeCrypto, ...(oda === "none" ? {} : { oda }) })
    const ctx = story.context
    yield* Console.log(
      `card-demo: seed ${seed}, ${ctx.profile.name} (${ctx.profile.scp.protocol}), PBOC ${ctx.algorithm.name}, ODA ${oda}, native crypto`,
    )
    yield* Console.log(formatStory(story))
    const file = resolve(pcap)
    const bytes = pcapFile(chosen.framing, story.exchanges)
    const fs = yield* FileSystem.FileSystem
    const written = yield* Effect.result(fs.writeFile(file, bytes))
    if (written._tag === "Failure")
      return yield* fail("--pcap", `${JSON.stringify(pcap)} is not writable: ${written.failure.message}`)
    const first = story.exchanges[0]?.atUs ?? 0
    const last = story.exchanges.at(-1)?.atUs ?? first
    yield* Console.log(
      `trace: ${story.exchanges.length} exchanges over ${((last - first) / 1e6).toFixed(3)} s of simulated card time, ` +
        `${format}, ${bytes.length} bytes → ${file}\nread it with:\n  ${chosen.tshark(file)}`,
    )
    if (!story.ok)
      return yield* new CheckFailed({
        reason: "story-failed",
        summary: `tsm-twin card-demo: ${story.steps.filter((st) => !st.ok).length} steps did not do what they asked (FAIL above)`,
      })
  }),
).pipe(
  Command.withDescription(
    "Run one card's story end to end and write its APDU trace for tshark (exit 1 when a step did not do what it asked).",
  ),
  Command.withExamples([
    { command: "tsm-twin card-demo --pcap card.pcap", description: "ISO 14443 trace, seed 1" },
    {
      command: "tsm-twin card-demo --pcap card.pcap --format gsmtap-sim --seed 7",
      description: "GSMTAP-SIM trace: tshark decodes the GlobalPlatform headers too",
    },
    {
      command: "tsm-twin card-demo --pcap ota.pcap --bearer sms-pp",
      description: "OTA over SMS-PP: ENVELOPEs that tshark decodes down to the SMS and its UDH IE 70",
    },
  ]),
)
