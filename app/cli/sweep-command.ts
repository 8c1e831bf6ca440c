/**
 * `tsm-twin sweep <scenario> --vary <json.path>=<v1,v2,...> [--vary ...] [--replications N]
 * [--workers N] [--out dir] [--cluster postgres://…]`: capacity planning (issue 7 §6). Checks
 * every `--vary` against the scenario (the path must exist, the values must have its type) and
 * every grid point against the kind's Schema before running anything — exit 2 naming the path —
 * then runs grid × replications on worker threads through sim/run's Replications service with a
 * progress line on stderr, and writes
 * sweep.json (every run's point, replication, seed and digest), sweep.csv and sweep.html (each KPI
 * against the first varied path with 95 % intervals and the curve's knee). With `--cluster` the
 * same plan runs as a durable workflow on the cluster's runners (app/cluster, issue 18), and
 * `--resume ID` / `--status ID` reattach to or report on a cluster sweep.
 */
import { readFileSync } from "node:fs"
import { resolve } from "node:path"
import { Console, Effect, Option } from "effect"
import { Argument, Command, Flag } from "effect/cli"
import { Replications } from "../../sim/run/replications.ts"
import { BadInput, CheckFailed } from "../run/errors.ts"
import { EXIT } from "../run/exit-codes.ts"
import { runLocalSweep } from "../sweep/local-sweep.ts"
import { finishSweep } from "../sweep/sweep-finish.ts"
import { planFromText } from "../sweep/sweep-from-text.ts"
import { ProgressBar } from "./progress-bar.ts"

export interface SweepArgs {
  /** The scenario file; null only with --resume or --status. */
  readonly scenario: string | null
  readonly vary: ReadonlyArray<string>
  readonly replications: number
  readonly workers: number | null
  readonly out: string
  /** postgres://… of a cluster (issue 18); null runs the sweep on this machine. */
  readonly cluster?: string | null
  readonly resume?: string | null
  readonly status?: string | null
}

export type SweepOutcome =
  | { readonly code: 0; readonly folder: string; readonly line: string }
  | { readonly code: 1 | 2; readonly message: string }

const bad = (message: string): SweepOutcome => ({ code: EXIT.badInput, message })

/**
 * The whole command as an effect that never fails for bad input or a failed run (they are
 * outcomes); interrupting it (SIGINT) stops a local sweep's worker threads.
 */
export const sweep = (args: SweepArgs, progress = new ProgressBar()): Effect.Effect<SweepOutcome> => {
  if ((args.cluster ?? null) !== null || (args.resume ?? null) !== null || (args.status ?? null) !== null)
    // The cluster's modules load only for a cluster sweep, so every other command starts without them.
    return Effect.promise(() =>
      import("../cluster/cluster-sweep-cli.ts").then(({ runClusterSweep }) =>
        runClusterSweep(args, progress),
      ),
    )
  if (args.scenario === null) return Effect.succeed(bad("a scenario file is required"))
  let text: string
  try {
    text = readFileSync(resolve(args.scenario), "utf8")
  } catch (error) {
    return Effect.succeed(bad(`cannot read ${args.scenario} as JSON: ${String(error)}`))
  }
  const planned = planFromText(text, args.scenario, args.vary, args.replications)
  if (!planned.ok) return Effect.succeed(bad(planned.message))
  if (args.workers !== null && !(Number.isInteger(args.workers) && args.workers >= 1))
    return Effect.succeed(bad(`--workers must be a positive integer, not ${args.workers}`))
  const { plan, scenarioHash } = planned.value
  return runLocalSweep(plan, scenarioHash, {
    ...(args.workers === null ? {} : { workers: args.workers }),
    onJob: (done, total) => progress.update({ done, total, label: "runs" }),
  }).pipe(
    Effect.provide(Replications.layer),
    Effect.ensuring(Effect.sync(() => progress.finish())),
    Effect.map(
      (records): SweepOutcome => ({ code: EXIT.ok, ...finishSweep(args.out, planned.value, records) }),
    ),
    Effect.catchTag("ReplicationError", (e) =>
      Effect.succeed<SweepOutcome>({
        code: EXIT.checkFailed,
        message: `a sweep run failed: sweep job ${e.seed}: ${e.reason}`,
      }),
    ),
  )
}

/** The whole command as a promise (tests call it directly); never rejects for bad input. */
export const runSweep = (args: SweepArgs, progress = new ProgressBar()): Promise<SweepOutcome> =>
  Effect.runPromise(sweep(args, progress))

const orNull = <A>(o: Option.Option<A>): A | null => Option.getOrNull(o)

export const sweepCommand = Command.make(
  "sweep",
  {
    scenario: Argument.String("scenario").pipe(
      Argument.optional,
      Argument.withDescription("the scenario JSON file (not with --resume or --status)"),
    ),
    vary: Flag.String("vary").pipe(
      Flag.atLeast(0),
      Flag.withDescription("<json.path>=<v1,v2,...>: a field to vary and its values (repeat for a grid)"),
    ),
    replications: Flag.Int("replications").pipe(
      Flag.withDefault(5),
      Flag.withDescription("runs per grid point, seeds scenario seed + 0..N-1 (default 5)"),
    ),
    workers: Flag.Int("workers").pipe(Flag.optional, Flag.withDescription("worker threads (default: cores)")),
    out: Flag.String("out").pipe(Flag.withDefault("sweep-out"), Flag.withDescription("the sweep folder")),
    cluster: Flag.String("cluster").pipe(
      Flag.optional,
      Flag.withDescription("postgres://user:password@host:port/db: run on the cluster's runners"),
    ),
    resume: Flag.String("resume").pipe(
      Flag.optional,
      Flag.withDescription("ID: wait for a cluster sweep submitted earlier and write its folder"),
    ),
    status: Flag.String("status").pipe(
      Flag.optional,
      Flag.withDescription("ID: print a cluster sweep's progress per grid point"),
    ),
  },
  Effect.fn(function* (flags) {
    const outcome = yield* sweep({
      scenario: orNull(flags.scenario),
      vary: flags.vary,
      replications: flags.replications,
      workers: orNull(flags.workers),
      out: flags.out,
      cluster: orNull(flags.cluster),
      resume: orNull(flags.resume),
      status: orNull(flags.status),
    })
    if (outcome.code === EXIT.ok) return yield* Console.log(outcome.line)
    // Failures go through app/run/exit.ts like every command's: a failed run exits 1, bad input 2.
    if (outcome.code === EXIT.checkFailed)
      return yield* new CheckFailed({
        reason: "invariant-violated",
        summary: `tsm-twin sweep: ${outcome.message}`,
      })
    return yield* new BadInput({
      reason: "usage",
      subject: "tsm-twin sweep",
      problems: [{ at: "", text: outcome.message }],
    })
  }),
).pipe(
  Command.withDescription(
    "Capacity planning: run a scenario over a grid of --vary values × replications on worker threads (or on a cluster of runners with --cluster); sweep.json, sweep.csv, sweep.html with 95 % intervals and each curve's knee.",
  ),
  Command.withExamples([
    {
      command:
        "tsm-twin sweep scenarios/06-issuance-campaign.json --vary capacity.tsm.hsmCount=1,2,4 --replications 3 --out sweep-out",
      description: "issuance latency against the TSM's HSM count",
    },
  ]),
)
