/**
 * `tsm-twin run <scenario.json> [--out <dir>] [--seed N] [--scale S] [--until DATE]
 * [--byte-level F] [--trace-cards N] [--threads N]`: reads the
 * scenario with the flags applied (app/run/scenario-input.ts: exit 2 with every error's JSON path
 * or flag), runs it with native crypto, writes `summary.json` atomically at the start, every ten
 * simulated days and at the end (so a killed run leaves a readable summary), and `pki/` (the MTPS
 * CA and every institution's certificate as PEM). Exit 1 when an invariant was violated or a
 * phase target the run reached was missed (app/run/run-checks.ts). The folder also gets the run
 * report (app/report/run-report.ts: targets with pass/fail/not reached and margin, CSV time
 * series, report.html) and stderr a progress line.
 */
import { createHash } from "node:crypto"
import { mkdirSync } from "node:fs"
import { basename, join, resolve } from "node:path"
import { Console, Effect } from "effect"
import { Argument, Command, Flag } from "effect/cli"
import { PILOT_LIMITS } from "../../model/world/pilot/pilot-scenario.ts"
import { BadInput } from "../run/errors.ts"
import { runIssuanceScenario } from "../run/issuance-command.ts"
import { runMoneyScenario } from "../run/money-command.ts"
import { runPilotCommand } from "../run/pilot-command.ts"
import { runChecks } from "../run/run-checks.ts"
import { type LoadedScenario, loadScenario } from "../run/scenario-input.ts"
import { THREADS_DEFAULT, THREADS_MAX } from "../run/thread-count.ts"
import { ProgressBar } from "./progress-bar.ts"

/** The run folder, made before the run: one that cannot be made is the user's --out, not a bug. */
const runFolder = (out: string) =>
  Effect.try({
    try: () => mkdirSync(resolve(out), { recursive: true }),
    catch: (error) =>
      new BadInput({
        reason: "invalid-flag",
        subject: "tsm-twin run",
        problems: [
          {
            at: "--out",
            text: `cannot make the run folder ${out}: ${(error as { code?: string }).code ?? String(error)}`,
          },
        ],
      }),
  })

/** `--trace-cards N`: 0 … TRACE_CARDS_MAX, pilot scenarios only; exit 2 naming the flag otherwise. */
const TRACE_CARDS_MAX = 1000
const traceCardsOf = (n: number, kind: string) => {
  const problem =
    n < 0 || n > TRACE_CARDS_MAX
      ? `must be an integer in [0, ${TRACE_CARDS_MAX}] (given ${n})`
      : n > 0 && kind !== "pilot"
        ? `applies to pilot scenarios only; this is a ${kind} scenario`
        : null
  return problem === null
    ? Effect.succeed(n)
    : Effect.fail(
        new BadInput({
          reason: "invalid-flag",
          subject: "tsm-twin run",
          problems: [{ at: "--trace-cards", text: problem }],
        }),
      )
}

/** A pilot scenario: the phase table on stdout, then the run line. */
const runPilotScenario = (loaded: LoadedScenario, out: string, traceCards: number, threads: number) =>
  Effect.gen(function* () {
    const pilot = yield* runPilotCommand({
      json: loaded.json,
      text: loaded.text,
      out,
      seed: null,
      scale: null,
      untilDate: null,
      progress: process.stderr,
      traceCards,
      threads,
    })
    // The scenario was checked with the flags applied; a decode failure now is a bug.
    if (!pilot.ok) return yield* Effect.die(new Error(`checked scenario failed to decode: ${pilot.message}`))
    yield* Console.log(`${pilot.table}\n\n${pilot.line}`)
    yield* runChecks({ scenario: loaded.name, where: join(out, "summary.json"), ...pilot })
  })

/** `--threads N`: 1 … THREADS_MAX, default the machine's cores (app/run/thread-count.ts). */
const threadsOf = (n: number) =>
  n >= 1 && n <= THREADS_MAX
    ? Effect.succeed(n)
    : Effect.fail(
        new BadInput({
          reason: "invalid-flag",
          subject: "tsm-twin run",
          problems: [{ at: "--threads", text: `must be an integer in [1, ${THREADS_MAX}] (given ${n})` }],
        }),
      )

const runMoney = (loaded: LoadedScenario, out: string) =>
  Effect.gen(function* () {
    const hash = createHash("sha256").update(loaded.text).digest("hex")
    const money = yield* runMoneyScenario(loaded.json, hash, out, null, new ProgressBar())
    if (!money.ok) return yield* Effect.die(new Error(`checked scenario failed to decode: ${money.message}`))
    yield* Console.log(money.line)
    yield* runChecks({ scenario: loaded.name, where: join(out, "summary.json"), ...money })
  })

export const runCommand = Command.make(
  "run",
  {
    scenario: Argument.String("scenario").pipe(
      Argument.withDescription("the scenario JSON file (pilot, money or issuance)"),
    ),
    out: Flag.String("out").pipe(
      Flag.optional,
      Flag.withDescription(
        "the run folder (summary.json, CSV, report.html, pki/); default out/runs/<scenario>",
      ),
    ),
    seed: Flag.Int("seed").pipe(
      Flag.optional,
      Flag.withDescription("overrides the scenario's seed (a safe integer ≥ 0)"),
    ),
    scale: Flag.Finite("scale").pipe(
      Flag.optional,
      Flag.withDescription(
        `pilot scenarios: overrides scaleFactor, in (0, ${PILOT_LIMITS.scaleFactorMax}] (users and targets × scale)`,
      ),
    ),
    until: Flag.String("until").pipe(
      Flag.optional,
      Flag.withDescription(
        'pilot scenarios: stop at the end of this date (YYYY-MM-DD, inside the population\'s horizon); later phases are "not reached"',
      ),
    ),
    byteLevel: Flag.Finite("byte-level").pipe(
      Flag.optional,
      Flag.withDescription(
        "pilot scenarios: share of users simulated byte-level, in [0, 1] (real APDUs, SM2 envelopes, ARQCs); overrides fidelity and lifts its cap",
      ),
    ),
    threads: Flag.Int("threads").pipe(
      Flag.optional,
      Flag.withDescription(
        "pilot scenarios: threads for the run (1 = all on the kernel's thread; 2 or more = byte-level issuances on a worker beside it; same digest); default: the machine's cores",
      ),
    ),
    traceCards: Flag.Int("trace-cards").pipe(
      Flag.optional,
      Flag.withDescription(
        "pilot scenarios: write traces/card-<user>.pcap (ISO 14443, tshark-readable) of the first N byte-level cards' APDUs",
      ),
    ),
  },
  Effect.fn(function* ({ scenario, out: outFlag, seed, scale, until, byteLevel, traceCards, threads }) {
    const out = outFlag._tag === "Some" ? outFlag.value : join("out", "runs", basename(scenario, ".json"))
    const loaded = yield* loadScenario(scenario, {
      seed: seed._tag === "Some" ? seed.value : undefined,
      scale: scale._tag === "Some" ? scale.value : undefined,
      until: until._tag === "Some" ? until.value : undefined,
      byteLevel: byteLevel._tag === "Some" ? byteLevel.value : undefined,
    })
    const traced = yield* traceCardsOf(traceCards._tag === "Some" ? traceCards.value : 0, loaded.kind)
    const threadCount = yield* threadsOf(threads._tag === "Some" ? threads.value : THREADS_DEFAULT)
    yield* runFolder(out)
    if (loaded.kind === "pilot") return yield* runPilotScenario(loaded, out, traced, threadCount)
    if (loaded.kind === "money") return yield* runMoney(loaded, out)
    return yield* runIssuanceScenario(loaded, out)
  }),
).pipe(
  Command.withDescription(
    "Run a scenario and write its run folder; exit 1 when an invariant is violated or a reached phase target missed.",
  ),
  Command.withExamples([
    {
      command: "tsm-twin run scenarios/04-pilot-plan.json --scale 0.05",
      description: "the pilot at 5 % scale",
    },
    {
      command: "tsm-twin run scenarios/04-pilot-plan.json --scale 0.02 --until 2015-12-31",
      description: 'stop early; phases after 2015-12-31 show "not reached"',
    },
    {
      command: "tsm-twin run scenarios/04-pilot-plan.json --scale 0.002 --byte-level 1 --trace-cards 3",
      description: "every user byte-level: messages.ndjson, pki/ and three cards' pcaps in the run folder",
    },
    {
      command: "tsm-twin run scenarios/02-issuance-1000.json --out runs/02",
      description: "1,000 users issuing, every one byte-level: messages.ndjson and pki/",
    },
  ]),
)
