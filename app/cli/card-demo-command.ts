/**
 * `tsm-twin card-demo --pcap <file> [--format iso14443|gsmtap-sim] [--seed N] [--oda rsa|sm2|none]`:
 * runs one card's story end to end (model/host/card-story/card-story.ts) — SSD creation, PUT KEY,
 * install, personalization (with fDDA keys and certificates unless --oda none), qPBOC offline
 * with fDDA, online with ARPC, 圈存 load, block, delete — prints each step
 * with its outcome and status words, and writes the APDU trace for Wireshark/tshark
 * (PROTOCOLS.md §4). Exit code 0 when every step did what it asked, 1 when one did not, 2 for a
 * bad flag or an unwritable trace path.
 */
import { resolve } from "node:path"
import { Console, Effect, FileSystem } from "effect"
import { Command, Flag } from "effect/cli"
import { type PcapFraming, pcapFile } from "../../model/apdu/pcap-file.ts"
import { gsmtapSimFraming } from "../../model/apdu/pcap-gsmtap-sim.ts"
import { iso14443Framing } from "../../model/apdu/pcap-iso14443.ts"
import { nativeCrypto } from "../../model/crypto/native-crypto.ts"
import { type CardStory, runCardStory } from "../../model/host/card-story/card-story.ts"
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
  },
  Effect.fn(function* ({ pcap, format, seed, oda }) {
    const chosen = FORMATS[format]
    if (chosen === undefined)
      return yield* fail(
        "--format",
        `must be one of ${Object.keys(FORMATS).join(", ")}, not ${JSON.stringify(format)}`,
      )
    if (!Number.isSafeInteger(seed) || seed < 0)
      return yield* fail("--seed", `must be a safe integer ≥ 0, not ${seed}`)
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
  ]),
)
