/**
 * The byte plane's worker thread (worker-plane.ts starts it through sim/run/ts-worker.ts): takes
 * the issuance jobs it is sent in the order they arrive, each only if it can claim it (the
 * kernel's thread may have run it already, or dropped it), on its own IssuanceJobRunner — so the
 * cards it makes, its PKI and its envelope chain live here — and answers each on the result port,
 * then bumps the shared counter the kernel's thread waits on (Atomics).
 */
import { type MessagePort, parentPort, workerData } from "node:worker_threads"
import { nativeCrypto } from "../../../crypto/native-crypto.ts"
import { type IssuanceJob, IssuanceJobRunner, type IssuanceJobSetup } from "./issuance-job.ts"
import { claim } from "./job-claims.ts"

export interface IssuanceWorkerData {
  readonly setup: IssuanceJobSetup
  /** Int32Array over a SharedArrayBuffer: [0] counts results posted; bytes 8-15 a Float64, this thread's CPU µs. */
  readonly signal: SharedArrayBuffer
  /** Int32Array over a SharedArrayBuffer: the jobs' claim slots (job-claims.ts). */
  readonly slots: SharedArrayBuffer
  readonly results: MessagePort
}

export type IssuanceReply =
  | { readonly kind: "result"; readonly result: import("./issuance-job.ts").IssuanceResult }
  | { readonly kind: "error"; readonly ticket: number; readonly message: string }
  /** Sent once, when the runner is set up. */
  | { readonly kind: "ready" }

const jobs = parentPort
if (jobs === null) throw new Error("issuance-worker must run in a worker thread")
const data = workerData as IssuanceWorkerData
const signal = new Int32Array(data.signal)
const cpuUs = new Float64Array(data.signal, 8, 1)
const slots = new Int32Array(data.slots)
const runner = new IssuanceJobRunner(nativeCrypto, data.setup)

const answer = (reply: IssuanceReply): void => {
  data.results.postMessage(reply)
  const cpu = process.threadCpuUsage()
  cpuUs[0] = cpu.user + cpu.system
  Atomics.add(signal, 0, 1)
  Atomics.notify(signal, 0)
}

answer({ kind: "ready" })

jobs.on("message", (job: IssuanceJob) => {
  if (!claim(slots, job.ticket)) return
  try {
    answer({ kind: "result", result: runner.run(job) })
  } catch (error) {
    answer({
      kind: "error",
      ticket: job.ticket,
      message: error instanceof Error ? (error.stack ?? error.message) : String(error),
    })
  }
})
