/**
 * A test fixture, not a test: a RunSession with no model behind it, whose records the test pushes
 * by hand and whose commands are only logged, so the server can be driven without a simulation.
 */
import { BroadcastSink } from "../../../sim/recorder/broadcast-sink.ts"
import type { Command } from "../../../sim/server/protocol.ts"
import type { CommandOutcome, RunSession } from "../../../sim/server/run-session.ts"

export interface StubSession extends RunSession {
  readonly commands: Command[]
  replace(): void
}

export const stubSession = (): StubSession => {
  const records = new BroadcastSink(4)
  const commands: Command[] = []
  const listeners = new Set<() => void>()
  let tUs = 0
  return {
    records,
    commands,
    scenarios: [{ id: "stub", title: "a stub" }],
    info: () => ({ scenario: "stub", title: "a stub", seed: 7, endUs: 1_000_000, epochUs: 0 }),
    faults: () => [{ id: "boom", title: "a fault" }],
    progress: () => ({ state: "running", tUs: tUs++, events: tUs, eventsPerSecond: 1, speed: null }),
    digest: () => null,
    command: async (c: Command): Promise<CommandOutcome> => {
      commands.push(c)
      if (c.type === "inject" && c.fault !== "boom")
        return { ok: false, code: "unknown-fault", message: "no" }
      if (c.type === "inspect") return { ok: true, detail: [{ tUs: 1, signal: "flow.step", payload: {} }] }
      return { ok: true }
    },
    onReplace: (l) => {
      listeners.add(l)
      return () => listeners.delete(l)
    },
    replace: () => {
      for (const l of listeners) l()
    },
  }
}
