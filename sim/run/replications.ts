/**
 * Replications (DESIGN.md §4 scale-out): N seeds of one model in parallel on worker_threads, one
 * simulation per thread, each a pure function of its seed, so the results do not depend on how
 * seeds were spread over workers. Reports each metric's mean with a 95 % confidence interval.
 *
 * Workers load TypeScript through tsx, which is a dependency (see BOOTSTRAP below).
 */
import { createRequire } from "node:module"
import { availableParallelism } from "node:os"
import { pathToFileURL } from "node:url"
import { Worker } from "node:worker_threads"
import { Context, Data, Effect, Layer } from "effect"
import { type MeanCi, meanCi95 } from "./confidence.ts"

export interface ReplicationSpec {
  /** Absolute path of the module exporting the model function. */
  readonly modulePath: string
  readonly exportName: string
  readonly seeds: ReadonlyArray<number>
  /** Passed to every replication; must survive structured cloning. */
  readonly options: unknown
  /** Worker threads; default: available parallelism, at most the number of seeds. */
  readonly workers?: number
  /** Called on the calling thread after each finished replication (a progress line). */
  readonly onReplication?: (done: number, total: number) => void
}

export interface ReplicationReport {
  readonly perSeed: ReadonlyArray<{ readonly seed: number; readonly metrics: Record<string, number> }>
  readonly summary: Record<string, MeanCi>
}

export class ReplicationError extends Data.TaggedError("ReplicationError")<{
  readonly seed: number
  readonly reason: string
}> {}

type Reply = { readonly seed: number; readonly metrics?: Record<string, number>; readonly error?: string }

const WORKER_URL = new URL("./replication-worker.ts", import.meta.url)
/**
 * On Node 20.20, `execArgv: ["--import", "tsx"]` does not make a worker load TypeScript (it fails
 * with "Unknown file extension .ts", measured). So each worker starts from a small JavaScript
 * bootstrap that registers tsx's ESM hooks through its public API and then imports the entry.
 */
const TSX_API = pathToFileURL(createRequire(import.meta.url).resolve("tsx/esm/api")).href.replace(
  /\.cjs$/,
  ".mjs",
)
const BOOTSTRAP = `import(${JSON.stringify(TSX_API)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(WORKER_URL.href)}) })`

export const runReplicationsPromise = (spec: ReplicationSpec): Promise<ReplicationReport> =>
  new Promise((resolvePromise, reject) => {
    const count = Math.max(1, Math.min(spec.workers ?? availableParallelism(), spec.seeds.length))
    const results = new Map<number, Record<string, number>>()
    const workers: Worker[] = []
    let next = 0
    let failed = false
    const finish = (error: ReplicationError | null) => {
      for (const w of workers) void w.terminate()
      if (error !== null) reject(error)
      else resolvePromise(report(spec.seeds, results))
    }
    const feed = (w: Worker) => {
      if (next < spec.seeds.length) w.postMessage({ seed: spec.seeds[next++] })
    }
    for (let i = 0; i < count; i++) {
      const w = new Worker(BOOTSTRAP, {
        eval: true,
        workerData: { modulePath: spec.modulePath, exportName: spec.exportName, options: spec.options },
      })
      workers.push(w)
      w.on("message", (reply: Reply) => {
        if (failed) return
        if (reply.error !== undefined || reply.metrics === undefined) {
          failed = true
          return finish(new ReplicationError({ seed: reply.seed, reason: reply.error ?? "no metrics" }))
        }
        results.set(reply.seed, reply.metrics)
        spec.onReplication?.(results.size, spec.seeds.length)
        if (results.size === spec.seeds.length) return finish(null)
        feed(w)
      })
      w.on("error", (e) => {
        if (!failed) finish(new ReplicationError({ seed: -1, reason: String(e) }))
        failed = true
      })
      feed(w)
    }
    if (spec.seeds.length === 0) finish(null)
  })

const report = (
  seeds: ReadonlyArray<number>,
  results: Map<number, Record<string, number>>,
): ReplicationReport => {
  const perSeed = seeds.map((seed) => ({ seed, metrics: results.get(seed)! }))
  const names = perSeed.length === 0 ? [] : Object.keys(perSeed[0]!.metrics)
  const summary = Object.fromEntries(names.map((n) => [n, meanCi95(perSeed.map((r) => r.metrics[n]!))]))
  return { perSeed, summary }
}

export class Replications extends Context.Service<
  Replications,
  { readonly run: (spec: ReplicationSpec) => Effect.Effect<ReplicationReport, ReplicationError> }
>()("tsm-twin/sim/run/Replications") {
  static readonly layer = Layer.succeed(Replications)(
    Replications.of({
      run: (spec) =>
        Effect.tryPromise({
          try: () => runReplicationsPromise(spec),
          catch: (e) =>
            e instanceof ReplicationError ? e : new ReplicationError({ seed: -1, reason: String(e) }),
        }),
    }),
  )
}
