/**
 * The byte plane on a worker thread (issuance-plane.ts). Jobs go to the worker in posting order;
 * each has a claim slot in shared memory (its ticket, until a thread takes it), so a job runs on
 * exactly one thread: the worker claims each job as it reaches it, and the kernel's thread claims
 * a job it needs before the worker got to it and runs it itself, instead of waiting (the worker
 * then skips it). So neither thread idles while work is queued, whatever the split of work, and
 * the split changes no byte: a job's result is a function of the job alone (issuance-job.ts).
 * Results come back on a MessagePort that the kernel's thread reads synchronously
 * (`receiveMessageOnPort`); when the result it needs is being made on the worker it sleeps on a
 * shared counter (`Atomics.wait`) that the worker bumps after each answer.
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
import { CLAIM_SLOTS, claim } from "./job-claims.ts"

/** How long one wait sleeps before checking again, ms; a worker silent for SILENT_SLICES_MAX of them is gone. */
const WAIT_SLICE_MS = 1000
/** A worker that cannot start (its error event never reaches a thread that is waiting) would hang the run. */
const SILENT_SLICES_MAX = 120
class WorkerPlane implements IssuancePlane {
  readonly workers = 1
  /** [0] counts the worker's answers (the kernel's thread waits on it). */
  private readonly signal = new Int32Array(new SharedArrayBuffer(16))
  /** [1] of the same buffer: the worker thread's own CPU µs after its last answer. */
  private readonly workerCpu = new Float64Array(this.signal.buffer, 8, 1)
  private readonly slots = new Int32Array(new SharedArrayBuffer(4 * CLAIM_SLOTS))
  private readonly channel = new MessageChannel()
  private readonly worker: Worker
  private readonly results = new Map<number, IssuanceResult>()
  /** Tickets posted and neither taken nor dropped. */
  private readonly open = new Set<number>()
  /** Dropped tickets the worker had claimed: their results are thrown away on arrival. */
  private readonly dropped = new Set<number>()
  /** Jobs posted, in order, from the oldest one possibly unclaimed (`head`): the kernel steals from the end. */
  private queue: IssuanceJob[] = []
  private head = 0
  private failure: string | null = null
  private ready = false
  readonly ran = { here: 0, worker: 0, waits: 0 }

  /** The worker thread's own CPU time so far, s (bench figures: the two threads' balance). */
  get workerCpuS(): number {
    return this.workerCpu[0]! / 1e6
  }

  workerHeapBytes(): Promise<number> {
    return this.worker.getHeapStatistics().then((h) => h.used_heap_size)
  }

  private readonly inline: IssuanceJobRunner

  constructor(setup: IssuanceJobSetup, crypto: Crypto) {
    this.inline = new IssuanceJobRunner(crypto, setup)
    const data: IssuanceWorkerData = {
      setup,
      signal: this.signal.buffer as SharedArrayBuffer,
      slots: this.slots.buffer as SharedArrayBuffer,
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
    const slot = job.ticket % CLAIM_SLOTS
    if (Atomics.load(this.slots, slot) !== 0)
      throw new RangeError(`more than ${CLAIM_SLOTS} issuance jobs posted and not started`)
    Atomics.store(this.slots, slot, job.ticket)
    this.open.add(job.ticket)
    this.worker.postMessage(job)
    this.queue.push(job)
    const q = this.queue
    while (this.head < q.length && !this.unclaimed(q[this.head]!.ticket)) this.head++
    if (this.head > 1024 && this.head * 2 > q.length) {
      this.queue = q.slice(this.head)
      this.head = 0
    }
  }

  private unclaimed(ticket: number): boolean {
    return Atomics.load(this.slots, ticket % CLAIM_SLOTS) === ticket
  }

  take(ticket: number, job: IssuanceJob): IssuanceResult {
    if (!this.open.has(ticket)) throw new Error(`issuance job ${ticket} was never posted`)
    for (let silent = 0; ; ) {
      const seen = Atomics.load(this.signal, 0)
      this.drain()
      const r = this.results.get(ticket)
      if (r !== undefined) {
        this.results.delete(ticket)
        this.open.delete(ticket)
        return r
      }
      if (this.failure !== null) throw new Error(this.failure)
      if (claim(this.slots, ticket)) {
        this.open.delete(ticket)
        this.ran.here++
        return this.inline.run(job)
      }
      // The worker is making it: meanwhile run the newest job nobody started (the worker works
      // from the oldest), rather than sleep.
      if (this.steal()) continue
      this.ran.waits++
      if (Atomics.wait(this.signal, 0, seen, WAIT_SLICE_MS) !== "timed-out") silent = 0
      else if (++silent >= SILENT_SLICES_MAX)
        throw new Error(
          `byte-plane worker answered nothing for ${SILENT_SLICES_MAX} s (issuance job ${ticket})`,
        )
    }
  }

  /** Runs the newest unclaimed job here, its result kept for its take; false when there is none. */
  private steal(): boolean {
    const q = this.queue
    while (q.length > this.head) {
      const job = q.pop()!
      if (!claim(this.slots, job.ticket)) continue
      this.ran.here++
      this.results.set(job.ticket, this.inline.run(job))
      return true
    }
    return false
  }

  /**
   * Blocks until the worker has loaded its modules and set up its runner (or `timeoutMs` passed):
   * for a test that must see the worker take jobs; a run never needs to wait.
   */
  waitReady(timeoutMs: number): boolean {
    for (let waited = 0; !this.ready && this.failure === null && waited < timeoutMs; waited += 100) {
      const seen = Atomics.load(this.signal, 0)
      this.drain()
      if (!this.ready) Atomics.wait(this.signal, 0, seen, 100)
    }
    return this.ready
  }

  drop(ticket: number): void {
    if (!this.open.delete(ticket)) return
    if (claim(this.slots, ticket) || this.results.delete(ticket)) return
    this.dropped.add(ticket)
  }

  close(): void {
    this.channel.port1.close()
    void this.worker.terminate()
  }

  private drain(): void {
    const port = this.channel.port1
    for (let m = receiveMessageOnPort(port); m !== undefined; m = receiveMessageOnPort(port)) {
      const reply = m.message as IssuanceReply
      if (reply.kind === "ready") this.ready = true
      else if (reply.kind === "error")
        this.failure = `issuance job ${reply.ticket} failed on the worker: ${reply.message}`
      else {
        this.ran.worker++
        if (!this.dropped.delete(reply.result.ticket)) this.results.set(reply.result.ticket, reply.result)
      }
    }
  }
}

/** `crypto` serves the jobs run on the kernel's thread; the worker uses the native layer (the layers agree byte for byte). */
export const workerPlane = (setup: IssuanceJobSetup, crypto: Crypto): IssuancePlane =>
  new WorkerPlane(setup, crypto)
