/**
 * A fault injected into a running pilot world from the viewer: the same targets as the
 * scenario's own fault plan (pilot-world.ts), through the same fault-plan code
 * (sim/faults/apply-faults.ts), with the window recorded in the world's fault windows so the
 * topology and the run report show it like a scheduled one. Resource targets are rebuilt over
 * the TSM resources' nominal capacity; an injected outage that overlaps a scheduled one on the
 * same resource ends when the earlier of the two ends (each target restores the capacity it
 * knows) — a limitation the viewer accepts, the report shows both windows.
 */

import { FAULT_TARGET_PARTIES, type FaultTargetKey } from "../../model/world/network.ts"
import { type PilotWorld, partyMeters, recordingTarget } from "../../model/world/pilot/pilot-world.ts"
import { applyFaultPlan } from "../../sim/faults/apply-faults.ts"
import type { Fault } from "../../sim/faults/fault-plan.ts"
import type { FaultTarget } from "../../sim/faults/fault-target.ts"

/** Schedules `fault` (its startUs is now or later) on the world; problems, none when scheduled. */
export const injectFault = (w: PilotWorld, fault: Fault): ReadonlyArray<string> => {
  const meters = partyMeters(w)
  const targetOf = (key: FaultTargetKey): FaultTarget => {
    if (key === "telcoOta") return w.flows.otaFaultTarget()
    return meters[key].faultTarget()
  }
  const targets = new Map(
    FAULT_TARGET_PARTIES.map((p) => [p.id, recordingTarget(w, p.id, targetOf(p.key))] as const),
  )
  return applyFaultPlan(w.kernel, w.seed, { faults: [fault] }, targets)
}
