/**
 * The worker-thread side of replications (replications.ts): loads the model module named in
 * workerData once, then runs one replication per message `{ index, seed }` and answers
 * `{ index, seed, result }` or `{ index, seed, error }`. The model function must be a pure function
 * of (seed, options); it may return its result or a promise of it (a run paced by sim/run's
 * RunControl is an Effect run to a promise), and the result must survive structured cloning.
 */

import { pathToFileURL } from "node:url"
import { parentPort, workerData } from "node:worker_threads"

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

export type JobReply =
  | { readonly index: number; readonly seed: number; readonly result: unknown }
  | { readonly index: number; readonly seed: number; readonly error: string }

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

port.on("message", ({ index, seed }: JobRequest) => {
  loaded
    .then((model) => model(seed, setup.options))
    .then(
      (result) => port.postMessage({ index, seed, result } satisfies JobReply),
      (error: unknown) => port.postMessage({ index, seed, error: String(error) } satisfies JobReply),
    )
})
