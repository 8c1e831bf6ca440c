/**
 * The byte plane on a worker thread (issuance-plane.ts): jobs go to the worker in posting order
 * and its results come back on a MessagePort that the kernel's thread reads synchronously
 * (`receiveMessageOnPort`); when the result it needs is not there yet it sleeps on a shared
 * counter (`Atomics.wait`) that the worker bumps after each answer. The kernel never runs a card
 * job itself here, so the card state (the cards being issued, the PKI's keys) lives on the worker.
 */
import { MessageChannel, receiveMessageOnPort, type Worker } from "node:worker_threads"
import { startTsWorker } from "../../../../sim/run/ts-worker.ts"
import type { IssuanceJob, IssuanceJobSetup, IssuanceResult } from "./issuance-job.ts"
import type { IssuancePlane } from "./issuance-plane.ts"
import type { IssuanceReply, IssuanceWorkerData } from "./issuance-worker.ts"

/** How long one wait sleeps before checking again, ms; a worker silent for SILENT_SLICES_MAX of them is gone. */
const WAIT_SLICE_MS = 1000
/** A worker that cannot start (its error event never reaches a thread that is waiting) would hang the run. */
const SILENT_SLICES_MAX = 120
/** Jobs posted but not taken or dropped, at most (an order in flight each; far above any scale run). */
const IN_FLIGHT_MAX = 1 << 22

export const workerPlane = (setup: IssuanceJobSetup): IssuancePlane => {
  const signalBuffer = new SharedArrayBuffer(4)
  const signal = new Int32Array(signalBuffer)
  const channel = new MessageChannel()
  let failure: string | null = null
  const data: IssuanceWorkerData = { setup, signal: signalBuffer, results: channel.port2 }
  const worker: Worker = startTsWorker(new URL("./issuance-worker.ts", import.meta.url), {
    workerData: data,
    transferList: [channel.port2],
  })
  worker.unref()
  worker.on("error", (e) => {
    failure = `byte-plane worker failed: ${e.stack ?? e.message}`
  })
  const results = new Map<number, IssuanceResult>()
  const dropped = new Set<number>()
  let posted = 0
  let answered = 0

  const receive = (reply: IssuanceReply): void => {
    answered++
    if (reply.kind === "error")
      failure = `issuance job ${reply.ticket} failed on the worker: ${reply.message}`
    else if (dropped.has(reply.result.ticket)) dropped.delete(reply.result.ticket)
    else results.set(reply.result.ticket, reply.result)
  }
  const drain = (): void => {
    for (
      let m = receiveMessageOnPort(channel.port1);
      m !== undefined;
      m = receiveMessageOnPort(channel.port1)
    )
      receive(m.message as IssuanceReply)
  }

  return {
    workers: 1,
    post: (job: IssuanceJob, hooks) => {
      if (hooks.tracer !== null || hooks.tamper !== null)
        throw new Error("the live viewer's tracer and planted envelope defects need threads 1")
      if (posted - answered > IN_FLIGHT_MAX)
        throw new RangeError(`more than ${IN_FLIGHT_MAX} issuance jobs in flight`)
      posted++
      worker.postMessage(job)
    },
    take: (ticket) => {
      for (let silent = 0; ; ) {
        const seen = Atomics.load(signal, 0)
        drain()
        const r = results.get(ticket)
        if (r !== undefined) {
          results.delete(ticket)
          return r
        }
        if (failure !== null) throw new Error(failure)
        if (answered >= posted) throw new Error(`issuance job ${ticket} was never posted`)
        if (Atomics.wait(signal, 0, seen, WAIT_SLICE_MS) !== "timed-out") silent = 0
        else if (++silent >= SILENT_SLICES_MAX)
          throw new Error(
            `byte-plane worker answered nothing for ${SILENT_SLICES_MAX} s (issuance job ${ticket})`,
          )
      }
    },
    drop: (ticket) => {
      if (!results.delete(ticket)) dropped.add(ticket)
    },
    close: () => {
      channel.port1.close()
      void worker.terminate()
    },
  }
}
