/**
 * The worker-thread side of replications: loads the model module named in workerData once, then
 * runs one replication per message `{ seed }` and answers `{ seed, metrics }` or `{ seed, error }`.
 * The model function must be a pure function of (seed, options) returning numeric metrics.
 */

import { pathToFileURL } from "node:url"
import { parentPort, workerData } from "node:worker_threads"

interface Setup {
  readonly modulePath: string
  readonly exportName: string
  readonly options: unknown
}

type Model = (seed: number, options: unknown) => Record<string, number>

const setup = workerData as Setup
const port = parentPort
if (port === null) throw new Error("replication-worker must run in a worker thread")

const loaded = import(pathToFileURL(setup.modulePath).href).then((m: Record<string, unknown>) => {
  const f = m[setup.exportName]
  if (typeof f !== "function")
    throw new Error(`${setup.modulePath} has no function export ${setup.exportName}`)
  return f as Model
})

port.on("message", (message: { readonly seed: number }) => {
  loaded
    .then((model) => port.postMessage({ seed: message.seed, metrics: model(message.seed, setup.options) }))
    .catch((error: unknown) => port.postMessage({ seed: message.seed, error: String(error) }))
})
