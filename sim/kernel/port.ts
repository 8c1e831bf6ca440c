/**
 * The port: the only surface of the engine that model/ sees (DESIGN.md §3). A party reads the
 * clock, schedules its own handlers, sends messages over links, emits signals and draws from its
 * named streams — nothing else, so a party cannot reach into the heap or another party's state.
 */
import type { Link, SendOutcome } from "../network/link.ts"
import type { SignalBus } from "../recorder/signals.ts"
import { type Stream, streamOf } from "../rng/stream.ts"
import type { EventHandle } from "./heap.ts"
import type { Handler, HandlerId, Kernel } from "./kernel.ts"
import type { Us } from "./time.ts"

export type { Link, OutageWindow } from "../network/link.ts"
export type { Stream } from "../rng/stream.ts"
/**
 * The engine types a party may name (handles, handler ids, links, outage windows), re-exported so
 * that model/ depends on this one file of the engine and nothing else (DESIGN.md §3).
 */
export type { EventHandle } from "./heap.ts"
export type { HandlerId } from "./kernel.ts"
export type { Us } from "./time.ts"

export interface Port {
  now(): Us
  /** Runs `handler(a0, ref)` after `delayUs`; the handle cancels it. */
  after<R>(delayUs: number, handler: HandlerId<R>, a0: number, ref: R): EventHandle
  cancel(handle: EventHandle): boolean
  send<M>(link: Link<M>, message: M): SendOutcome
  emit(signal: string, payload: unknown): void
  /** The stream for (run seed, purpose, index); see rng/stream.ts. */
  stream(purpose: string, index?: number): Stream
  /**
   * Registers a handler at setup, so a party can schedule its own timers with `after`; the id is
   * fixed by registration order, which the code version fixes, so the digest stays stable.
   */
  register<R>(name: string, handler: Handler<R>): HandlerId<R>
}

export const makePort = (kernel: Kernel, seed: number, signals: SignalBus): Port => ({
  now: () => kernel.nowUs,
  after: (delayUs, handler, a0, ref) => kernel.schedule(delayUs, handler, a0, ref),
  cancel: (handle) => kernel.cancel(handle),
  send: (link, message) => link.send(message),
  emit: (signal, payload) => signals.emit(kernel.nowUs, signal, payload),
  stream: (purpose, index = 0) => streamOf(seed, purpose, index),
  register: (name, handler) => kernel.register(name, handler),
})
