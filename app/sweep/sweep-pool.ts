/**
 * Runs a sweep's jobs on worker_threads (DESIGN.md §4 scale-out): one simulation per thread at a
 * time, each a pure function of its job, so results do not depend on how jobs were spread over
 * workers. The worker side is sim/run/replication-worker.ts (it answers `{ seed, metrics }` per
 * `{ seed }` message; here the "seed" is the job's index) started through the same tsx bootstrap
 * as sim/run/replications.ts, because Node 20 workers do not load TypeScript from `execArgv`.
 * Unlike `runReplicationsPromise` it reports each finished job, for the progress line.
 */
import { createRequire } from "node:module"
import { availableParallelism } from "node:os"
import { fileURLToPath, pathToFileURL } from "node:url"
import { Worker } from "node:worker_threads"
import type { SweepJobOptions } from "./sweep-job.ts"
import type { SweepRunRecord } from "./sweep-run-record.ts"

const WORKER_URL = new URL("../../sim/run/replication-worker.ts", import.meta.url)
const JOB_MODULE = fileURLToPath(new URL("./sweep-job.ts", import.meta.url))
const RECORD_MODULE = fileURLToPath(new URL("./sweep-run-record.ts", import.meta.url))
const TSX_API = pathToFileURL(createRequire(import.meta.url).resolve("tsx/esm/api")).href.replace(
  /\.cjs$/,
  ".mjs",
)
const BOOTSTRAP = `import(${JSON.stringify(TSX_API)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(WORKER_URL.href)}) })`

type Reply<T> = { readonly seed: number; readonly metrics?: T; readonly error?: string }

export interface PoolOptions {
  readonly workers?: number
  readonly onJob?: (done: number, total: number) => void
}

/** Metrics per job index; rejects with the first job's error (naming the job). */
export const runSweepJobs = (
  options: SweepJobOptions,
  pool: PoolOptions = {},
): Promise<ReadonlyArray<Record<string, number>>> =>
  runPooled<Record<string, number>>(options, pool, JOB_MODULE, "sweepJob")

/** Each job's KPIs and event-log digest (sweep-run-record.ts), for sweep.json's run list. */
export const runSweepRecords = (
  options: SweepJobOptions,
  pool: PoolOptions = {},
): Promise<ReadonlyArray<SweepRunRecord>> =>
  runPooled<SweepRunRecord>(options, pool, RECORD_MODULE, "sweepRecordJob")

const runPooled = <T>(
  options: SweepJobOptions,
  pool: PoolOptions,
  modulePath: string,
  exportName: string,
): Promise<ReadonlyArray<T>> =>
  new Promise((resolvePromise, reject) => {
    const total = options.jobs.length
    const count = Math.max(1, Math.min(pool.workers ?? availableParallelism(), total))
    const results: Array<T> = new Array(total)
    const workers: Worker[] = []
    let next = 0
    let done = 0
    let over = false
    const end = (error: Error | null) => {
      if (over) return
      over = true
      for (const w of workers) void w.terminate()
      if (error === null) resolvePromise(results)
      else reject(error)
    }
    const feed = (w: Worker) => {
      if (next < total) w.postMessage({ seed: next++ })
    }
    if (total === 0) return end(null)
    for (let i = 0; i < count; i++) {
      const w = new Worker(BOOTSTRAP, {
        eval: true,
        workerData: { modulePath, exportName, options },
      })
      workers.push(w)
      w.on("message", (reply: Reply<T>) => {
        if (reply.metrics === undefined)
          return end(new Error(`sweep job ${reply.seed}: ${reply.error ?? "no metrics"}`))
        results[reply.seed] = reply.metrics
        done++
        pool.onJob?.(done, total)
        if (done === total) return end(null)
        feed(w)
      })
      w.on("error", (e) => end(e instanceof Error ? e : new Error(String(e))))
      feed(w)
    }
  })
