/**
 * A card in a PC/SC reader as the twin's synchronous `Card` (model/card/card.ts): `transmit` blocks
 * until the reader answered. The PC/SC calls run on a worker thread (pcsc-worker.ts) through the
 * npm binding `smartcard`; this side posts each request and sleeps on `Atomics.wait` until the
 * worker wrote the answer into shared memory, so GP sessions and the terminal kernel run unchanged
 * on a real reader.
 */
import { createRequire } from "node:module"
import { fileURLToPath, pathToFileURL } from "node:url"
import { Worker } from "node:worker_threads"
import type { PcscRequest } from "./pcsc-worker.ts"

/** A response APDU is at most 65,536 data bytes and SW1 SW2 (extended length, ISO 7816-4 §5.1). */
const ANSWER_BYTES_MAX = 65_538
/** How long one PC/SC call may take before the reader is declared dead (a card answers in ms). */
const ANSWER_WAIT_MS = 30_000

const WORKER_URL = new URL("./pcsc-worker.ts", import.meta.url)
const TSX_API = pathToFileURL(createRequire(import.meta.url).resolve("tsx/esm/api")).href.replace(
  /\.cjs$/,
  ".mjs",
)
/**
 * Starts the worker through tsx (as the sweep pool does). A worker that cannot start writes its
 * error into the shared answer itself, so the waiting thread learns why instead of timing out.
 */
const BOOTSTRAP = `const { workerData } = require("node:worker_threads")
import(${JSON.stringify(TSX_API)})
  .then((tsx) => { tsx.register(); return import(${JSON.stringify(WORKER_URL.href)}) })
  .catch((error) => {
    const state = new Int32Array(workerData.control)
    const text = new TextEncoder().encode("the PC/SC worker could not start: " + String(error && error.message || error))
    const bytes = new Uint8Array(workerData.data)
    bytes.set(text.subarray(0, bytes.length))
    Atomics.store(state, 1, Math.min(text.length, bytes.length))
    Atomics.store(state, 0, 2)
    Atomics.notify(state, 0)
  })`

/** A failed PC/SC call: no such reader, no card, the reader stopped answering. */
export class PcscFailure extends Error {
  readonly _tag = "PcscFailure"
}

export interface ReaderCard {
  readonly readerName: string
  /** The ATR pcscd reported when the card was connected. */
  readonly atr: Uint8Array
  readonly transmit: (command: Uint8Array) => Uint8Array
  /** Disconnects (resetting the card when `reset`, which closes its secure channels) and stops the worker; never throws. */
  readonly close: (reset: boolean) => void
}

/** Connects to the card in the reader named `readerName` (an exact name, or a prefix of one). */
export const connectReader = (readerName: string): ReaderCard => {
  const control = new SharedArrayBuffer(8)
  const data = new SharedArrayBuffer(ANSWER_BYTES_MAX)
  const state = new Int32Array(control)
  const bytes = new Uint8Array(data)
  const worker = new Worker(BOOTSTRAP, { eval: true, workerData: { control, data } })
  worker.unref()
  const call = (request: PcscRequest): Uint8Array => {
    worker.postMessage(request)
    if (Atomics.wait(state, 0, 0, ANSWER_WAIT_MS) === "timed-out") {
      void worker.terminate()
      throw new PcscFailure(`the PC/SC reader did not answer ${request.op} within ${ANSWER_WAIT_MS / 1000} s`)
    }
    const answer = bytes.slice(0, Atomics.load(state, 1))
    const status = Atomics.load(state, 0)
    // Cleared after reading, never before posting: an answer written before the wait began (a
    // worker that failed to start) must not be lost.
    Atomics.store(state, 0, 0)
    if (status === 2) throw new PcscFailure(new TextDecoder().decode(answer))
    return answer
  }
  let atr: Uint8Array
  try {
    atr = call({ op: "open", reader: readerName })
  } catch (error) {
    void worker.terminate()
    throw error
  }
  return {
    readerName,
    atr,
    transmit: (command) => call({ op: "transmit", command }),
    close: (reset) => {
      try {
        call({ op: "close", reset })
      } catch {
        // Nothing is left to do with a card that cannot even be disconnected (removed, reader
        // gone): the worker is stopped below either way, and pcscd releases the handle.
      } finally {
        void worker.terminate()
      }
    },
  }
}

/** For messages: where the worker module lives (a missing file is a packaging error). */
export const PCSC_WORKER_PATH = fileURLToPath(WORKER_URL)
