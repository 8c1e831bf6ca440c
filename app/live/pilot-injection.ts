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
import type { HeldResource } from "../../model/world/pilot/held-resource.ts"
import { type PilotWorld, partyMeters, recordingTarget } from "../../model/world/pilot/pilot-world.ts"
import { ServerPool } from "../../model/world/pilot/server-pool.ts"
import { applyFaultPlan } from "../../sim/faults/apply-faults.ts"
import type { DegradationSpec, Fault } from "../../sim/faults/fault-plan.ts"
import type { FaultTarget } from "../../sim/faults/fault-target.ts"

const heldTarget = (r: HeldResource): FaultTarget => {
  let downs = 0
  let degraded: number | null = null
  const apply = () => r.resource.setCapacity(downs > 0 ? 0 : (degraded ?? r.nominal))
  return {
    setDown: (down) => {
      downs += down ? 1 : -1
      apply()
    },
    degrade: (spec: DegradationSpec | null) => {
      degraded = spec === null ? null : (spec.capacity ?? r.nominal)
      apply()
    },
  }
}

/** Schedules `fault` (its startUs is now or later) on the world; problems, none when scheduled. */
export const injectFault = (w: PilotWorld, fault: Fault): ReadonlyArray<string> => {
  const meters = partyMeters(w)
  const targetOf = (key: FaultTargetKey): FaultTarget => {
    if (key === "telcoOta") return w.flows.otaFaultTarget()
    const m = meters[key]
    return m instanceof ServerPool ? m.faultTarget() : heldTarget(m)
  }
  const targets = new Map(
    FAULT_TARGET_PARTIES.map((p) => [p.id, recordingTarget(w, p.id, targetOf(p.key))] as const),
  )
  return applyFaultPlan(w.kernel, w.seed, { faults: [fault] }, targets)
}
