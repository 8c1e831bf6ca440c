/**
 * The PC/SC side of `pcsc-reader.ts`, on its own thread: the npm binding `smartcard` (N-API, built
 * against the system's libpcsclite) answers with promises, while the twin's host code (GP
 * sessions, the terminal kernel) is synchronous bytes in, bytes out. This worker runs each request
 * the main thread posts and writes the answer into shared memory; the main thread sleeps on
 * `Atomics.wait` until it is there (the same bridge synckit uses).
 *
 * Answer layout: control[0] = 0 pending, 1 bytes, 2 error text (UTF-8); control[1] = length.
 */
import { createRequire } from "node:module"
import { parentPort, workerData } from "node:worker_threads"

interface Binding {
  readonly Context: new () => {
    listReaders(): ReadonlyArray<{
      readonly name: string
      connect(share: number, protocols: number): Promise<BoundCard>
    }>
    close(): void
  }
  readonly SCARD_SHARE_EXCLUSIVE: number
  readonly SCARD_PROTOCOL_T0: number
  readonly SCARD_PROTOCOL_T1: number
  readonly SCARD_LEAVE_CARD: number
  readonly SCARD_RESET_CARD: number
}

interface BoundCard {
  readonly atr: Uint8Array | null
  transmit(command: Buffer, options: { readonly maxRecvLength: number }): Promise<Uint8Array>
  disconnect(disposition: number): void
}

export type PcscRequest =
  | { readonly op: "open"; readonly reader: string }
  | { readonly op: "transmit"; readonly command: Uint8Array }
  | { readonly op: "close"; readonly reset: boolean }

const { control, data } = workerData as { control: SharedArrayBuffer; data: SharedArrayBuffer }
const state = new Int32Array(control)
const buffer = new Uint8Array(data)

const answer = (status: 1 | 2, bytes: Uint8Array): void => {
  const length = Math.min(bytes.length, buffer.length)
  buffer.set(bytes.subarray(0, length))
  Atomics.store(state, 1, length)
  Atomics.store(state, 0, status)
  Atomics.notify(state, 0)
}

const loadBinding = (): Binding => {
  try {
    return createRequire(import.meta.url)("smartcard") as Binding
  } catch (error) {
    throw new Error(
      `the PC/SC binding (npm package "smartcard") is not usable: ${(error as Error).message.split("\n")[0]}; ` +
        "install libpcsclite-dev and a C++ compiler, then npm install",
    )
  }
}

let binding: Binding | null = null
let context: InstanceType<Binding["Context"]> | null = null
let card: BoundCard | null = null

const open = async (name: string): Promise<Uint8Array> => {
  binding = loadBinding()
  context = new binding.Context()
  const readers = context.listReaders()
  const reader = readers.find((r) => r.name === name) ?? readers.find((r) => r.name.startsWith(name))
  if (reader === undefined) {
    const known = readers.map((r) => JSON.stringify(r.name)).join(", ")
    throw new Error(`no reader named ${JSON.stringify(name)} (readers: ${known === "" ? "none" : known})`)
  }
  card = await reader.connect(
    binding.SCARD_SHARE_EXCLUSIVE,
    binding.SCARD_PROTOCOL_T0 | binding.SCARD_PROTOCOL_T1,
  )
  return card.atr ?? new Uint8Array(0)
}

const run = async (request: PcscRequest): Promise<Uint8Array> => {
  if (request.op === "open") return open(request.reader)
  if (card === null || binding === null) throw new Error("no card is connected")
  if (request.op === "transmit") return card.transmit(Buffer.from(request.command), { maxRecvLength: 65_538 })
  card.disconnect(request.reset ? binding.SCARD_RESET_CARD : binding.SCARD_LEAVE_CARD)
  context?.close()
  card = null
  return new Uint8Array(0)
}

parentPort?.on("message", (request: PcscRequest) => {
  run(request).then(
    (bytes) => answer(1, bytes),
    (error: unknown) =>
      answer(2, new TextEncoder().encode(error instanceof Error ? error.message : String(error))),
  )
})
