/**
 * `tsm-twin sweep <scenario> --vary <json.path>=<v1,v2,...> [--vary ...] [--replications N]
 * [--workers N] [--out dir]`: capacity planning (issue 7 §6). Checks every `--vary` against the
 * scenario (the path must exist, the values must have its type) and every grid point against the
 * kind's Schema before running anything — exit 2 naming the path — then runs grid × replications
 * on worker_threads with a progress line on stderr, and writes sweep.json, sweep.csv and
 * sweep.html (each KPI against the first varied path with 95 % intervals and the curve's knee).
 */
import { createHash } from "node:crypto"
import { readFileSync } from "node:fs"
import { resolve } from "node:path"
import { Console, Effect } from "effect"
import { Argument, Command, Flag } from "effect/cli"
import { EXIT } from "../run/exit-codes.ts"
import { validateScenario } from "../run/scenario-outcome.ts"
import { planSweep } from "../sweep/sweep-grid.ts"
import { runSweepRecords } from "../sweep/sweep-pool.ts"
import { writeSweepFolder } from "../sweep/sweep-report.ts"
import { aggregate } from "../sweep/sweep-result.ts"
import type { SweepRunRecord } from "../sweep/sweep-run-record.ts"
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
  | { readonly code: 1 | 2; readonly message: string }

const bad = (message: string): SweepOutcome => ({ code: EXIT.badInput, message })

/** The whole command as a promise (tests call it directly); never throws for bad input. */
export const runSweep = async (args: SweepArgs, progress = new ProgressBar()): Promise<SweepOutcome> => {
  let text: string
  let json: unknown
  try {
    text = readFileSync(resolve(args.scenario), "utf8")
    json = JSON.parse(text)
  } catch (error) {
    return bad(`cannot read ${args.scenario} as JSON: ${String(error)}`)
  }
  const valid = validateScenario(json)
  if (!valid.ok) return bad(`${args.scenario} is not a valid scenario:\n${valid.message}`)
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
  const planned = planSweep(json, varies, args.replications, valid.seed)
  if (!planned.ok) return bad(planned.message)
  const plan = planned.plan
  const scenarioHash = createHash("sha256").update(text).digest("hex")
  const name = (json as { name?: unknown }).name
  let records: ReadonlyArray<SweepRunRecord>
  try {
    records = await runSweepRecords(
      { scenarios: plan.scenarios, jobs: plan.jobs, scenarioHash },
      {
        ...(args.workers === null ? {} : { workers: args.workers }),
        onJob: (done, total) => progress.update({ done, total, label: "runs" }),
      },
    )
  } catch (error) {
    progress.finish()
    return { code: EXIT.checkFailed, message: `a sweep run failed: ${String(error)}` }
  }
  progress.finish()
  const result = aggregate(
    plan,
    records.map((r) => r.kpis),
    records.map((r) => r.digest),
  )
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
    if (outcome.code === EXIT.ok) yield* Console.log(outcome.line)
    else yield* Console.error(`tsm-twin sweep: ${outcome.message}`)
    process.exitCode = outcome.code
  }),
)
