/**
 * What a fault acts on. Links and resources are adapted to one small interface, so the fault
 * plan never needs to know what kind of thing a named target is.
 */
import type { Resource } from "../kernel/resource.ts"
import type { Link } from "../network/link.ts"
import type { DegradationSpec } from "./fault-plan.ts"

export interface FaultTarget {
  /** Outages nest: each `true` is matched by one `false`. */
  setDown(down: boolean): void
  /** Starts (spec) or ends (null) a degradation. */
  degrade(spec: DegradationSpec | null): void
}

export const linkTarget = <M>(link: Link<M>): FaultTarget => ({
  setDown: (down) => link.setDown(down),
  degrade: (spec) => {
    link.latencyPermille = spec?.latencyPermille ?? 1000
    link.extraLoss = spec?.extraLoss ?? { numerator: 0, denominator: 1 }
  },
})

/** An outage takes every server away (users keep theirs until they release); see Resource. */
export const resourceTarget = (resource: Resource): FaultTarget => {
  const nominal = resource.capacity
  let downs = 0
  let degradedCapacity: number | null = null
  const apply = () => resource.setCapacity(downs > 0 ? 0 : (degradedCapacity ?? nominal))
  return {
    setDown: (down) => {
      downs += down ? 1 : -1
      apply()
    },
    degrade: (spec) => {
      degradedCapacity = spec === null ? null : (spec.capacity ?? nominal)
      apply()
    },
  }
}
