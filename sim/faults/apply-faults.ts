/**
 * Applies a decoded fault plan to named targets by scheduling kernel events. Unknown targets are
 * reported as values before anything is scheduled, so a bad plan changes nothing. Random faults
 * draw from one stream per fault, `faults/<index>`, so editing one fault leaves the others' draws
 * unchanged.
 */
import type { Firable, Kernel } from "../kernel/kernel.ts"
import { streamOf } from "../rng/stream.ts"
import type { DegradationSpec, Fault, FaultPlan } from "./fault-plan.ts"
import type { FaultTarget } from "./fault-target.ts"

class Action implements Firable {
  constructor(private readonly run: () => void) {}
  fire(): void {
    this.run()
  }
}

const at = (kernel: Kernel, timeUs: number, run: () => void): void => {
  kernel.at(Math.max(timeUs, kernel.nowUs), kernel.fireHandler, 0, new Action(run))
}

const scheduleRandom = (
  kernel: Kernel,
  seed: number,
  index: number,
  fault: Fault,
  target: FaultTarget,
): void => {
  if (fault.kind !== "random-outage") return
  const s = streamOf(seed, "faults", index)
  const check = (): void => {
    if (s.chance(fault.probability.numerator, fault.probability.denominator)) {
      const span = fault.durationUsMax - fault.durationUsMin
      const durationUs = fault.durationUsMin + s.below(Math.max(0, span) + 1)
      target.setDown(true)
      at(kernel, kernel.nowUs + durationUs, () => {
        target.setDown(false)
        at(kernel, kernel.nowUs + fault.checkEveryUs, check)
      })
      return
    }
    at(kernel, kernel.nowUs + fault.checkEveryUs, check)
  }
  at(kernel, kernel.nowUs + fault.checkEveryUs, check)
}

/** Schedules the plan; returns the problems found (empty when everything was scheduled). */
export const applyFaultPlan = (
  kernel: Kernel,
  seed: number,
  plan: FaultPlan,
  targets: ReadonlyMap<string, FaultTarget>,
): ReadonlyArray<string> => {
  const problems = plan.faults.flatMap((f, i) =>
    targets.has(f.target) ? [] : [`faults[${i}].target: no link or resource named "${f.target}"`],
  )
  if (problems.length > 0) return problems
  plan.faults.forEach((fault, index) => {
    const target = targets.get(fault.target)!
    if (fault.kind === "random-outage") scheduleRandom(kernel, seed, index, fault, target)
    else if (fault.kind === "outage") {
      at(kernel, fault.startUs, () => target.setDown(true))
      at(kernel, fault.startUs + fault.durationUs, () => target.setDown(false))
    } else {
      const spec: DegradationSpec = fault
      at(kernel, fault.startUs, () => target.degrade(spec))
      at(kernel, fault.startUs + fault.durationUs, () => target.degrade(null))
    }
  })
  return []
}
