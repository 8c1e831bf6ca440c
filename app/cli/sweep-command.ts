/**
 * `tsm-twin sweep <scenario> --vary <json.path>=<v1,v2,...> [--vary ...] [--replications N]
 * [--workers N] [--out dir]`: capacity planning (issue 7 §6). Checks every `--vary` against the
 * scenario (the path must exist, the values must have its type) and every grid point against the
 * kind's Schema before running anything — exit 2 naming the path — then runs grid × replications
 * on worker_threads through sim/run's Replications service with a progress line on stderr, and writes sweep.json, sweep.csv and
 * sweep.html (each KPI against the first varied path with 95 % intervals and the curve's knee).
 */
import { createHash } from "node:crypto"
import { readFileSync } from "node:fs"
import { resolve } from "node:path"
import { fileURLToPath } from "node:url"
import { Console, Effect } from "effect"
import { Argument, Command, Flag } from "effect/cli"
import { Replications } from "../../sim/run/replications.ts"
import { BadInput } from "../run/errors.ts"
import { formatProblems } from "../run/exit.ts"
import { EXIT } from "../run/exit-codes.ts"
import { loadScenarioSync } from "../run/scenario-input.ts"
import { planSweep } from "../sweep/sweep-grid.ts"
import type { SweepJobOptions } from "../sweep/sweep-job.ts"
import { writeSweepFolder } from "../sweep/sweep-report.ts"
import { aggregate } from "../sweep/sweep-result.ts"
import { parseVary, type VarySpec } from "../sweep/vary-spec.ts"
import { ProgressBar } from "./progress-bar.ts"

export interface SweepArgs {
  readonly scenario: string
  readonly vary: ReadonlyArray<string>
  readonly replications: number
  readonly workers: number | null
  readonly out: string
}

export type SweepOutcome =
  | { readonly code: 0; readonly folder: string; readonly line: string }
  | {
      readonly code: 1 | 2
      readonly message: string
      /** The scenario file's own problems, when that is what was wrong. */
      readonly input?: BadInput
    }

const SWEEP_JOB_MODULE = fileURLToPath(new URL("../sweep/sweep-job.ts", import.meta.url))

const bad = (message: string): SweepOutcome => ({ code: EXIT.badInput, message })

/** The whole command as a promise (tests call it directly); never throws for bad input. */
export const runSweep = async (args: SweepArgs, progress = new ProgressBar()): Promise<SweepOutcome> => {
  const loaded = loadScenarioSync(args.scenario)
  if (loaded instanceof BadInput)
    return { code: EXIT.badInput, message: formatProblems(loaded.subject, loaded.problems), input: loaded }
  const { json, text } = loaded
  const varies: VarySpec[] = []
  for (const v of args.vary) {
    const parsed = parseVary(v, json)
    if (!parsed.ok) return bad(parsed.message)
    varies.push(parsed.spec)
  }
  if (new Set(varies.map((v) => v.path)).size !== varies.length)
    return bad("--vary names the same path twice")
  if (args.workers !== null && !(Number.isInteger(args.workers) && args.workers >= 1))
    return bad(`--workers must be a positive integer, not ${args.workers}`)
  const planned = planSweep(json, varies, args.replications, loaded.seed)
  if (!planned.ok) return bad(planned.message)
  const plan = planned.plan
  const scenarioHash = createHash("sha256").update(text).digest("hex")
  const name = (json as { name?: unknown }).name
  const ran = await Effect.runPromise(
    Effect.result(
      Effect.gen(function* () {
        const replications = yield* Replications
        return yield* replications.run({
          modulePath: SWEEP_JOB_MODULE,
          exportName: "sweepJob",
          // Each job is one replication, named by its index; the job table says which grid point
          // and which seed it is (sweep-job.ts).
          seeds: plan.jobs.map((_, i) => i),
          options: { scenarios: plan.scenarios, jobs: plan.jobs, scenarioHash } satisfies SweepJobOptions,
          ...(args.workers === null ? {} : { workers: args.workers }),
          onReplication: (done, total) => progress.update({ done, total, label: "runs" }),
        })
      }).pipe(Effect.provide(Replications.layer)),
    ),
  )
  progress.finish()
  if (ran._tag === "Failure") {
    const e = ran.failure
    return { code: EXIT.checkFailed, message: `a sweep run failed: sweep job ${e.seed}: ${e.reason}` }
  }
  const metrics = ran.success.perSeed.map((r) => r.metrics)
  const result = aggregate(plan, metrics)
  const folder = writeSweepFolder(args.out, result, { scenario: String(name), scenarioHash })
  const knees = result.curves.filter((c) => c.knee !== null).length
  return {
    code: EXIT.ok,
    folder,
    line: `sweep ${String(name)}: ${plan.points.length} points × ${result.replications} replications, ${knees} curves with a knee → ${folder}/sweep.html`,
  }
}

export const sweepCommand = Command.make(
  "sweep",
  {
    scenario: Argument.String("scenario").pipe(Argument.withDescription("the scenario JSON file")),
    vary: Flag.String("vary").pipe(
      Flag.atLeast(1),
      Flag.withDescription("<json.path>=<v1,v2,...>: a field to vary and its values (repeat for a grid)"),
    ),
    replications: Flag.Int("replications").pipe(
      Flag.withDefault(5),
      Flag.withDescription("runs per grid point, seeds scenario seed + 0..N-1 (default 5)"),
    ),
    workers: Flag.Int("workers").pipe(Flag.optional, Flag.withDescription("worker threads (default: cores)")),
    out: Flag.String("out").pipe(Flag.withDefault("sweep-out"), Flag.withDescription("the sweep folder")),
  },
  Effect.fn(function* ({ scenario, vary, replications, workers, out }) {
    const outcome = yield* Effect.promise(() =>
      runSweep({
        scenario,
        vary,
        replications,
        workers: workers._tag === "Some" ? workers.value : null,
        out,
      }),
    )
    if (outcome.code === EXIT.ok) return yield* Console.log(outcome.line)
    // A failed worker run is a bug in the twin (exit 70 with a crash file), not a failed check.
    if (outcome.code === EXIT.checkFailed) return yield* Effect.die(new Error(outcome.message))
    if (outcome.input !== undefined) return yield* outcome.input
    return yield* new BadInput({
      reason: "usage",
      subject: "tsm-twin sweep",
      problems: [{ at: "", text: outcome.message }],
    })
  }),
).pipe(
  Command.withDescription(
    "Capacity planning: run a scenario over a grid of --vary values × replications on worker threads; sweep.json, sweep.csv, sweep.html with 95 % intervals and each curve's knee.",
  ),
  Command.withExamples([
    {
      command:
        "tsm-twin sweep scenarios/06-issuance-campaign.json --vary capacity.tsm.hsmCount=1,2,4 --replications 3 --out sweep-out",
      description: "issuance latency against the TSM's HSM count",
    },
  ]),
)
