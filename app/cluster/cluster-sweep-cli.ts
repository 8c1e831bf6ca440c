/**
 * The cluster half of `tsm-twin sweep`: submit (`--cluster`), reattach (`--resume ID`) and report
 * (`--status ID`). The cluster URL comes from `--cluster` or, so that the password need not sit in
 * the shell history or the process list, from the environment variable TSM_TWIN_CLUSTER. Every
 * message that leaves here has the password masked.
 */
import { readFileSync } from "node:fs"
import { resolve } from "node:path"
import { Cause, Effect, Exit, type Layer, type Scope } from "effect"
import type { ProgressBar } from "../cli/progress-bar.ts"
import type { SweepArgs, SweepOutcome } from "../cli/sweep-command.ts"
import { EXIT } from "../run/exit-codes.ts"
import { finishSweep } from "../sweep/sweep-finish.ts"
import { type PlannedSweep, planFromText } from "../sweep/sweep-from-text.ts"
import type { SweepRunRecord } from "../sweep/sweep-run-record.ts"
import { clientEngineLayer } from "./cluster-layers.ts"
import { awaitSweep, newSweepId, payloadOf, submitSweep } from "./cluster-sweep.ts"
import { CLUSTER_ENV, type ClusterUrl, parseClusterUrl, withoutPassword } from "./cluster-url.ts"
import { ensureLedger, loadSweep, pointProgress } from "./run-ledger.ts"
import type { RunRecord } from "./sweep-workflows.ts"

export { CLUSTER_ENV }

const NEED_CLUSTER = `--resume and --status need --cluster postgres://… (or ${CLUSTER_ENV})`

const bad = (message: string): SweepOutcome => ({ code: EXIT.badInput, message })

const clusterOf = (args: SweepArgs): { ok: true; value: ClusterUrl } | { ok: false; message: string } => {
  const text = args.cluster ?? process.env[CLUSTER_ENV] ?? null
  if (text === null) return { ok: false, message: NEED_CLUSTER }
  return parseClusterUrl(text)
}

/** Records in job order, KPIs back to the twin's numbers (null was NaN). */
const toRunRecords = (records: ReadonlyArray<RunRecord>): SweepRunRecord[] =>
  records
    .toSorted((a, b) => a.job - b.job)
    .map((r) => ({
      digest: r.digest,
      kpis: Object.fromEntries(Object.entries(r.kpis).map(([k, v]) => [k, v ?? Number.NaN])),
    }))

const waitAndFinish = (sweepId: string, planned: PlannedSweep, out: string, progress: ProgressBar) =>
  Effect.gen(function* () {
    const total = planned.plan.jobs.length
    const end = yield* awaitSweep(sweepId, {
      onProgress: (points) =>
        progress.update({ done: points.reduce((a, p) => a + p.finished, 0), total, label: "runs" }),
      onStall: (message) => process.stderr.write(`\n${message}\n`),
    })
    progress.finish()
    if (!end.ok)
      return { code: EXIT.checkFailed, message: `cluster sweep ${sweepId} failed: ${end.message}` } as const
    if (end.records.length !== total)
      return {
        code: EXIT.checkFailed,
        message: `cluster sweep ${sweepId}: ${end.records.length} of ${total} results`,
      } as const
    return { code: EXIT.ok, ...finishSweep(out, planned, toRunRecords(end.records), sweepId) } as const
  })

/** Reads and plans the scenario before anything touches the cluster (bad input → exit 2). */
const prepare = (
  args: SweepArgs,
): { ok: true; text: string; planned: PlannedSweep } | { ok: false; message: string } => {
  if (args.scenario === null) return { ok: false, message: "a scenario file is required" }
  let text: string
  try {
    text = readFileSync(resolve(args.scenario), "utf8")
  } catch (error) {
    return { ok: false, message: `cannot read ${args.scenario} as JSON: ${String(error)}` }
  }
  const planned = planFromText(text, args.scenario, args.vary, args.replications)
  return planned.ok ? { ok: true, text, planned: planned.value } : planned
}

const submit = (args: SweepArgs, text: string, planned: PlannedSweep, progress: ProgressBar) =>
  Effect.gen(function* () {
    const { plan, baseSeed, scenarioHash, name } = planned
    const sweepId = newSweepId()
    const out = resolve(args.out)
    yield* ensureLedger
    const spec = { name, scenarioText: text, vary: [...args.vary], replications: args.replications, out }
    yield* submitSweep(payloadOf(sweepId, plan, baseSeed, scenarioHash), spec, plan.jobs.length)
    process.stderr.write(
      `submitted cluster sweep ${sweepId} (${plan.jobs.length} runs); reattach with --resume ${sweepId}\n`,
    )
    return yield* waitAndFinish(sweepId, planned, out, progress)
  })

/** The failure's own message (no stack), with the password masked. */
const reasonOf = (cause: Cause.Cause<unknown>, cluster: ClusterUrl): string => {
  const error = Cause.squash(cause)
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error)
  return withoutPassword(text, cluster)
}

const reattach = (sweepId: string, progress: ProgressBar, statusOnly: boolean) =>
  Effect.gen(function* () {
    yield* ensureLedger
    const stored = yield* loadSweep(sweepId)
    if (stored === null) return bad(`the cluster has no sweep ${sweepId}`)
    const { spec } = stored
    const planned = planFromText(spec.scenarioText, spec.name, spec.vary, spec.replications)
    if (!planned.ok)
      return { code: EXIT.checkFailed, message: `stored sweep ${sweepId}: ${planned.message}` } as const
    if (!statusOnly) return yield* waitAndFinish(sweepId, planned.value, spec.out, progress)
    const done = new Map((yield* pointProgress(sweepId)).map((p) => [p.point, p]))
    const lines = planned.value.plan.points.map((point, i) => {
      const where = Object.entries(point)
        .map(([k, v]) => `${k}=${v}`)
        .join(", ")
      const p = done.get(i)
      return `point ${i} (${where}): ${p?.finished ?? 0}/${spec.replications} finished, ${p?.started ?? 0} started`
    })
    return {
      code: EXIT.ok,
      folder: spec.out,
      line: [`cluster sweep ${sweepId} (${spec.name})`, ...lines].join("\n"),
    } as const
  })

export const runClusterSweep = async (args: SweepArgs, progress: ProgressBar): Promise<SweepOutcome> => {
  const cluster = clusterOf(args)
  if (!cluster.ok) return bad(cluster.message)
  const resume = args.resume ?? null
  const status = args.status ?? null
  if (resume !== null && status !== null) return bad("--resume and --status exclude each other")
  let program: Effect.Effect<
    SweepOutcome,
    unknown,
    Layer.Success<ReturnType<typeof clientEngineLayer>> | Scope.Scope
  >
  if (resume !== null) program = reattach(resume, progress, false)
  else if (status !== null) program = reattach(status, progress, true)
  else {
    const prepared = prepare(args)
    if (!prepared.ok) return bad(prepared.message)
    program = submit(args, prepared.text, prepared.planned, progress)
  }
  const exit = await Effect.runPromiseExit(
    program.pipe(Effect.provide(clientEngineLayer(cluster.value)), Effect.scoped),
  )
  if (Exit.isSuccess(exit)) return exit.value
  progress.finish()
  return {
    code: EXIT.checkFailed,
    message: `cluster ${cluster.value.shown}: ${reasonOf(exit.cause, cluster.value)}`,
  }
}
