/**
 * A runner's worker thread: runs one sweep run per message `{ id, scenario, scenarioHash, seed }`
 * and answers `{ id, record }` or `{ id, error }`; it says `{ ready: true }` once its modules are
 * loaded, so a runner joins the cluster with warm threads. Simulations take seconds of busy CPU (paced in chunks, but never idle),
 * so they never run on the runner's main thread, whose event loop keeps the shard locks fresh and
 * answers its peers' health pings.
 */
import { parentPort } from "node:worker_threads"
import { Effect } from "effect"
import { sweepRecord } from "../sweep/sweep-run-record.ts"

export interface WorkerRequest {
  readonly id: number
  readonly scenario: string
  readonly scenarioHash: string
  readonly seed: number
}

const port = parentPort
if (port === null) throw new Error("runner-worker must run in a worker thread")

// The model's modules are loaded by now (the static import above): tell the pool this thread is warm.
port.postMessage({ ready: true })

const failed = (id: number, error: unknown) =>
  port.postMessage({ id, error: error instanceof Error ? error.message : String(error) })

port.on("message", (request: WorkerRequest) => {
  let scenario: unknown
  try {
    scenario = JSON.parse(request.scenario)
  } catch (error) {
    return failed(request.id, error)
  }
  // The run is paced by RunControl (sweep-run-record.ts), one run per thread at a time.
  Effect.runPromise(sweepRecord(scenario, request.scenarioHash, request.seed)).then(
    (record) => port.postMessage({ id: request.id, record }),
    (error: unknown) => failed(request.id, error),
  )
})
