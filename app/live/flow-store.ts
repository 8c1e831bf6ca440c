/**
 * The steps of the most recent traced flows, kept for the inspector (the server answers `inspect`
 * from it; frames never carry steps). Bounded: the oldest flow is forgotten when a new one would
 * pass `flowsMax`, and a flow keeps at most FLOW_LIMITS.stepsMax steps.
 */

import { FLOW_LIMITS, FLOW_STEP_SIGNAL } from "../../model/signals/flow.ts"
import type { RecordLine } from "../../sim/recorder/sink.ts"

export class FlowStore {
  private readonly flows = new Map<string, RecordLine[]>()

  constructor(private readonly flowsMax = 256) {}

  add(record: RecordLine): void {
    if (record.signal !== FLOW_STEP_SIGNAL) return
    const payload = record.payload as { flowId?: unknown } | undefined
    const flowId = payload?.flowId
    if (typeof flowId !== "string") return
    let steps = this.flows.get(flowId)
    if (steps === undefined) {
      if (this.flows.size >= this.flowsMax) this.flows.delete(this.flows.keys().next().value!)
      steps = []
      this.flows.set(flowId, steps)
    }
    if (steps.length < FLOW_LIMITS.stepsMax) steps.push(record)
  }

  get(flowId: string): ReadonlyArray<RecordLine> | undefined {
    return this.flows.get(flowId)
  }

  clear(): void {
    this.flows.clear()
  }
}
