/**
 * A runner's worker thread: runs one sweep run per message `{ id, scenario, scenarioHash, seed }`
 * and answers `{ id, record }` or `{ id, error }`; it says `{ ready: true }` once its modules are
 * loaded, so a runner joins the cluster with warm threads. Simulations are synchronous and take seconds,
 * so they never run on the runner's main thread, whose event loop keeps the shard locks fresh and
 * answers its peers' health pings.
 */
import { parentPort } from "node:worker_threads"
import { runSweepRecord } from "../sweep/sweep-run-record.ts"

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

port.on("message", (request: WorkerRequest) => {
  try {
    const record = runSweepRecord(JSON.parse(request.scenario), request.scenarioHash, request.seed)
    port.postMessage({ id: request.id, record })
  } catch (error) {
    port.postMessage({ id: request.id, error: error instanceof Error ? error.message : String(error) })
  }
})
