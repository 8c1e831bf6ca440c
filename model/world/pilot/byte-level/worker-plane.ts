/**
 * The byte plane on a worker thread (issuance-plane.ts): jobs go to the worker in posting order
 * and its results come back on a MessagePort that the kernel's thread reads synchronously
 * (`receiveMessageOnPort`); when the result it needs is not there yet it sleeps on a shared
 * counter (`Atomics.wait`) that the worker bumps after each answer. A card is issued where its job
 * runs (the worker's runner, or the kernel thread's for one job in INLINE_EVERY) and comes back as
 * its image; the held cards live where their sessions run, on the kernel's thread.
 */
import { MessageChannel, receiveMessageOnPort, type Worker } from "node:worker_threads"
import { startTsWorker } from "../../../../sim/run/ts-worker.ts"
import type { Crypto } from "../../../crypto/crypto.ts"
import {
  type IssuanceJob,
  IssuanceJobRunner,
  type IssuanceJobSetup,
  type IssuanceResult,
  type JobHooks,
} from "./issuance-job.ts"
import type { IssuancePlane } from "./issuance-plane.ts"
import type { IssuanceReply, IssuanceWorkerData } from "./issuance-worker.ts"

/**
 * One job in INLINE_EVERY (by ticket) runs on the kernel's thread when posted, the rest on the
 * worker, to balance the two threads: at 04, 0.005×, --byte-level 1 the kernel's own work
 * (events, payments' card sessions) took 35 CPU s and the issuances 49 (bench:full-fidelity), so
 * about a seventh of the issuances on the kernel's thread evens them out. The split changes no
 * byte: a job's result is a function of the job alone (its envelopes are named by its ticket).
 */
const INLINE_EVERY = 7

/** How long one wait sleeps before checking again, ms; a worker silent for SILENT_SLICES_MAX of them is gone. */
const WAIT_SLICE_MS = 1000
/** A worker that cannot start (its error event never reaches a thread that is waiting) would hang the run. */
const SILENT_SLICES_MAX = 120
/** Jobs posted but not taken or dropped, at most (an order in flight each; far above any scale run). */
const IN_FLIGHT_MAX = 1 << 22

class WorkerPlane implements IssuancePlane {
  readonly workers = 1
  private readonly signal = new Int32Array(new SharedArrayBuffer(4))
  private readonly channel = new MessageChannel()
  private readonly worker: Worker
  private readonly results = new Map<number, IssuanceResult>()
  private readonly dropped = new Set<number>()
  private failure: string | null = null
  private posted = 0
  private answered = 0

  private readonly inline: IssuanceJobRunner

  constructor(setup: IssuanceJobSetup, crypto: Crypto) {
    this.inline = new IssuanceJobRunner(crypto, setup)
    const data: IssuanceWorkerData = {
      setup,
      signal: this.signal.buffer as SharedArrayBuffer,
      results: this.channel.port2,
    }
    this.worker = startTsWorker(new URL("./issuance-worker.ts", import.meta.url), {
      workerData: data,
      transferList: [this.channel.port2],
    })
    this.worker.unref()
    this.worker.on("error", (e) => {
      this.failure = `byte-plane worker failed: ${e.stack ?? e.message}`
    })
  }

  post(job: IssuanceJob, hooks: JobHooks): void {
    if (hooks.tracer !== null || hooks.tamper !== null)
      throw new Error("the live viewer's tracer and planted envelope defects need threads 1")
    if (this.posted - this.answered > IN_FLIGHT_MAX)
      throw new RangeError(`more than ${IN_FLIGHT_MAX} issuance jobs in flight`)
    if (job.ticket % INLINE_EVERY === 0) {
      this.results.set(job.ticket, this.inline.run(job))
      return
    }
    this.posted++
    this.worker.postMessage(job)
  }

  take(ticket: number): IssuanceResult {
    for (let silent = 0; ; ) {
      const seen = Atomics.load(this.signal, 0)
      this.drain()
      const r = this.results.get(ticket)
      if (r !== undefined) {
        this.results.delete(ticket)
        return r
      }
      if (this.failure !== null) throw new Error(this.failure)
      if (this.answered >= this.posted) throw new Error(`issuance job ${ticket} was never posted`)
      if (Atomics.wait(this.signal, 0, seen, WAIT_SLICE_MS) !== "timed-out") silent = 0
      else if (++silent >= SILENT_SLICES_MAX)
        throw new Error(
          `byte-plane worker answered nothing for ${SILENT_SLICES_MAX} s (issuance job ${ticket})`,
        )
    }
  }

  drop(ticket: number): void {
    if (!this.results.delete(ticket)) this.dropped.add(ticket)
  }

  close(): void {
    this.channel.port1.close()
    void this.worker.terminate()
  }

  private drain(): void {
    const port = this.channel.port1
    for (let m = receiveMessageOnPort(port); m !== undefined; m = receiveMessageOnPort(port)) {
      const reply = m.message as IssuanceReply
      this.answered++
      if (reply.kind === "error")
        this.failure = `issuance job ${reply.ticket} failed on the worker: ${reply.message}`
      else if (this.dropped.has(reply.result.ticket)) this.dropped.delete(reply.result.ticket)
      else this.results.set(reply.result.ticket, reply.result)
    }
  }
}

/** `crypto` serves the jobs run on the kernel's thread; the worker uses the native layer (the layers agree byte for byte). */
export const workerPlane = (setup: IssuanceJobSetup, crypto: Crypto): IssuancePlane =>
  new WorkerPlane(setup, crypto)
