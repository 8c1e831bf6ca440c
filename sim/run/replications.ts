/**
 * Replications (DESIGN.md §4 scale-out): N seeds of one model in parallel on worker_threads, one
 * simulation per thread, each a pure function of its seed, so the results do not depend on how
 * seeds were spread over workers. `run` reports each numeric metric's mean with a 95 % confidence
 * interval; `runEach` returns each seed's result as the model made it (a local sweep's jobs return
 * their KPIs and event-log digest, app/sweep/sweep-run-record.ts). Interrupting either asks each
 * thread to interrupt its run (a model that returns an Effect paced by RunControl stops between two
 * chunks, replication-worker.ts) and terminates the threads once they answer, or after
 * STOP_GRACE_MS: a synchronous model cannot be stopped any other way.
 */
import { availableParallelism } from "node:os"
import type { Worker } from "node:worker_threads"
import { Context, Data, Effect, Layer } from "effect"
import { type MeanCi, meanCi95 } from "./confidence.ts"
import type { JobReply, JobRequest, StopRequest, WorkerSetup } from "./replication-worker.ts"
import { startTsWorker } from "./ts-worker.ts"

export interface ReplicationSpec {
  /** Absolute path of the module exporting the model function `(seed, options) => result`. */
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

const WORKER_URL = new URL("./replication-worker.ts", import.meta.url)

/**
 * How long an interrupted pool waits for its threads to stop their runs cleanly before it kills
 * them: a paced run yields within a chunk (100 ms of work), a synchronous one never does.
 */
const STOP_GRACE_MS = 2_000

/** Asks a thread to interrupt its run; resolves when it has answered, exited, or the grace is over. */
const stopThread = (w: Worker): Promise<void> =>
  new Promise<void>((done) => {
    const timer = setTimeout(done, STOP_GRACE_MS)
    const finish = () => {
      clearTimeout(timer)
      done()
    }
    w.on("message", (reply: JobReply) => {
      if ("stopped" in reply) finish()
    })
    w.once("exit", finish)
    w.postMessage({ stop: true } satisfies StopRequest)
  }).then(() => void w.terminate())

/**
 * Each seed's result in the order of `spec.seeds`. The results cross a thread boundary by
 * structured cloning; `T` is what the model function returns, which the caller vouches for.
 */
const runEach = <T>(spec: ReplicationSpec): Effect.Effect<ReadonlyArray<T>, ReplicationError> =>
  Effect.callback<ReadonlyArray<T>, ReplicationError>((resume) => {
    const total = spec.seeds.length
    const count = Math.max(1, Math.min(spec.workers ?? availableParallelism(), total))
    const results: Array<T> = new Array(total)
    const workers: Worker[] = []
    let next = 0
    let done = 0
    let over = false
    const end = (outcome: Effect.Effect<ReadonlyArray<T>, ReplicationError>) => {
      if (over) return
      over = true
      for (const w of workers) void w.terminate()
      resume(outcome)
    }
    const feed = (w: Worker) => {
      if (next >= total) return
      const index = next++
      w.postMessage({ index, seed: spec.seeds[index]! } satisfies JobRequest)
    }
    if (total === 0) return end(Effect.succeed(results))
    const setup: WorkerSetup = {
      modulePath: spec.modulePath,
      exportName: spec.exportName,
      options: spec.options,
    }
    for (let i = 0; i < count; i++) {
      const w = startTsWorker(WORKER_URL, { workerData: setup })
      workers.push(w)
      w.on("message", (reply: JobReply) => {
        if ("stopped" in reply || over) return
        if (!("result" in reply))
          return end(Effect.fail(new ReplicationError({ seed: reply.seed, reason: reply.error })))
        results[reply.index] = reply.result as T
        done++
        spec.onReplication?.(done, total)
        if (done === total) return end(Effect.succeed(results))
        feed(w)
      })
      w.on("error", (e) => end(Effect.fail(new ReplicationError({ seed: -1, reason: String(e) }))))
      feed(w)
    }
    // Interrupted (a signal, a failed sibling fiber): each thread stops its run between two chunks,
    // and none keeps computing unwanted results.
    return Effect.promise(async () => {
      over = true
      await Promise.all(workers.map(stopThread))
    })
  })

const report = (
  seeds: ReadonlyArray<number>,
  results: ReadonlyArray<Record<string, number>>,
): ReplicationReport => {
  const perSeed = seeds.map((seed, i) => ({ seed, metrics: results[i]! }))
  const names = perSeed.length === 0 ? [] : Object.keys(perSeed[0]!.metrics)
  const summary = Object.fromEntries(names.map((n) => [n, meanCi95(perSeed.map((r) => r.metrics[n]!))]))
  return { perSeed, summary }
}

export class Replications extends Context.Service<
  Replications,
  {
    /** Numeric metrics per seed and their means with 95 % intervals. */
    readonly run: (spec: ReplicationSpec) => Effect.Effect<ReplicationReport, ReplicationError>
    /** Each seed's result as the model returned it, in the order of `spec.seeds`. */
    readonly runEach: <T>(spec: ReplicationSpec) => Effect.Effect<ReadonlyArray<T>, ReplicationError>
  }
>()("tsm-twin/sim/run/Replications") {
  static readonly layer = Layer.succeed(Replications)(
    Replications.of({
      run: (spec) =>
        Effect.flatMap(runEach<unknown>(spec), (results) => {
          const bad = results.findIndex((r) => typeof r !== "object" || r === null)
          return bad === -1
            ? Effect.succeed(report(spec.seeds, results as ReadonlyArray<Record<string, number>>))
            : Effect.fail(new ReplicationError({ seed: spec.seeds[bad]!, reason: "no metrics" }))
        }),
      runEach,
    }),
  )
}
