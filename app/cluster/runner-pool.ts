/**
 * A runner's worker threads (one simulation per thread at a time). A run waits for a free
 * thread; if the run is interrupted — its shard moved to another runner, or the runner is leaving
 * on SIGTERM — the thread is terminated (a synchronous simulation cannot be stopped any other way)
 * and a fresh one takes its place, so no thread keeps computing a result nobody will read.
 */
import type { Worker } from "node:worker_threads"
import { Context, Effect, Layer, Semaphore } from "effect"
import { startTsWorker } from "../../sim/run/ts-worker.ts"
import type { SweepRunRecord } from "../sweep/sweep-run-record.ts"
import type { WorkerRequest } from "./runner-worker.ts"

const WORKER_URL = new URL("./runner-worker.ts", import.meta.url)

/** At most this many threads per runner (a bound: a typo cannot start a thousand). */
export const RUNNER_THREADS_MAX = 256

type Reply = { readonly id: number; readonly record?: SweepRunRecord; readonly error?: string }

export class RunFailure extends Error {}

/** Resolves with the thread once it says its modules are loaded. */
const warm = (w: Worker) =>
  Effect.callback<Worker, RunFailure>((resume) => {
    const onReady = (message: { ready?: boolean }) => {
      if (message.ready !== true) return
      w.off("message", onReady)
      resume(Effect.succeed(w))
    }
    w.on("message", onReady)
    w.once("error", (e) => resume(Effect.fail(new RunFailure(`worker thread failed to start: ${e.message}`))))
  })

export class RunnerPool extends Context.Service<
  RunnerPool,
  {
    readonly threads: number
    /** Runs on a free thread; `onStart` runs once the thread is taken (not while waiting for one). */
    readonly run: <R>(
      request: Omit<WorkerRequest, "id">,
      onStart: Effect.Effect<void, never, R>,
    ) => Effect.Effect<SweepRunRecord, RunFailure, R>
  }
>()("tsm-twin/app/cluster/RunnerPool") {
  static readonly layer = (threads: number) =>
    Layer.effect(
      RunnerPool,
      Effect.gen(function* () {
        if (!(Number.isInteger(threads) && threads >= 1 && threads <= RUNNER_THREADS_MAX))
          throw new RangeError(`runner threads must be 1..${RUNNER_THREADS_MAX}, not ${threads}`)
        const idle: Worker[] = []
        const all = new Set<Worker>()
        const spawn = () => {
          const w = startTsWorker(WORKER_URL)
          all.add(w)
          return w
        }
        const retire = (w: Worker) => {
          all.delete(w)
          void w.terminate()
        }
        yield* Effect.addFinalizer(() => Effect.sync(() => [...all].forEach(retire)))
        // Every thread starts now and loads the model (tens of seconds on a busy machine), so a
        // runner only joins once it can run at full speed.
        idle.push(
          ...(yield* Effect.forEach(Array.from({ length: threads }, spawn), warm, {
            concurrency: "unbounded",
          })),
        )
        const slots = yield* Semaphore.make(threads)
        let nextId = 0
        const onWorker = (w: Worker, request: Omit<WorkerRequest, "id">) =>
          Effect.callback<SweepRunRecord, RunFailure>((resume) => {
            const id = nextId++
            const onMessage = (reply: Reply) => {
              if (reply.id !== id) return
              settle()
              idle.push(w)
              resume(
                reply.record === undefined
                  ? Effect.fail(new RunFailure(reply.error ?? "the run returned nothing"))
                  : Effect.succeed(reply.record),
              )
            }
            const onError = (error: Error) => {
              settle()
              retire(w)
              resume(Effect.fail(new RunFailure(`worker thread died: ${error.message}`)))
            }
            const settle = () => {
              w.off("message", onMessage)
              w.off("error", onError)
            }
            w.on("message", onMessage)
            w.on("error", onError)
            w.postMessage({ id, ...request } satisfies WorkerRequest)
            // Interrupted while running: the thread's result is unwanted, so the thread goes.
            return Effect.sync(() => {
              settle()
              retire(w)
            })
          })
        const run = <R>(request: Omit<WorkerRequest, "id">, onStart: Effect.Effect<void, never, R>) =>
          slots.withPermits(1)(
            Effect.andThen(
              onStart,
              Effect.suspend(() => onWorker(idle.pop() ?? spawn(), request)),
            ),
          )
        return RunnerPool.of({ threads, run })
      }),
    )
}
