/**
 * The worker-thread side of replications (replications.ts): loads the model module named in
 * workerData once, then runs one replication per message `{ index, seed }` and answers
 * `{ index, seed, result }` or `{ index, seed, error }`. The model function must be a pure function
 * of (seed, options); it may return its result, a promise of it, or an Effect (a run paced by
 * sim/run's RunControl), and the result must survive structured cloning.
 *
 * `{ stop: true }` interrupts every Effect the thread is running — a RunControl-paced run stops
 * between two chunks and runs its finalizers — and answers `{ stopped: n }` once they have ended,
 * so the pool can end the thread after a clean stop instead of killing it mid-event.
 */

import { pathToFileURL } from "node:url"
import { parentPort, workerData } from "node:worker_threads"
import { Effect } from "effect"

export interface WorkerSetup {
  readonly modulePath: string
  readonly exportName: string
  readonly options: unknown
}

export interface JobRequest {
  /** The seed's position in the spec's list, so equal seeds stay apart. */
  readonly index: number
  readonly seed: number
}

export interface StopRequest {
  readonly stop: true
}

export type JobReply =
  | { readonly index: number; readonly seed: number; readonly result: unknown }
  | { readonly index: number; readonly seed: number; readonly error: string }
  /** The answer to a StopRequest: how many running Effects were interrupted. */
  | { readonly stopped: number }

type Model = (seed: number, options: unknown) => unknown

const port = parentPort
if (port === null) throw new Error("replication-worker must run in a worker thread")
const setup = workerData as WorkerSetup

const loaded = import(pathToFileURL(setup.modulePath).href).then((m: Record<string, unknown>) => {
  const f = m[setup.exportName]
  if (typeof f !== "function")
    throw new Error(`${setup.modulePath} has no function export ${setup.exportName}`)
  return f as Model
})

/** The Effects running on this thread: their abort controllers and their settled promises. */
const running = new Map<AbortController, Promise<unknown>>()

const runModel = (model: Model, seed: number): unknown => {
  const result = model(seed, setup.options)
  if (!Effect.isEffect(result)) return result
  const controller = new AbortController()
  // A model needs no services: its Effect is closed (the type check happens in the model module).
  const promise = Effect.runPromise(result as Effect.Effect<unknown, unknown>, { signal: controller.signal })
  const settled = promise.then(
    () => {},
    () => {},
  )
  running.set(controller, settled)
  void settled.then(() => running.delete(controller))
  return promise
}

const stop = () => {
  const settled = [...running].map(([controller, done]) => {
    controller.abort()
    return done
  })
  void Promise.all(settled).then(() => port.postMessage({ stopped: settled.length } satisfies JobReply))
}

port.on("message", (message: JobRequest | StopRequest) => {
  if ("stop" in message) return stop()
  const { index, seed } = message
  loaded
    .then((model) => runModel(model, seed))
    .then(
      (result) => port.postMessage({ index, seed, result } satisfies JobReply),
      (error: unknown) => port.postMessage({ index, seed, error: String(error) } satisfies JobReply),
    )
})
