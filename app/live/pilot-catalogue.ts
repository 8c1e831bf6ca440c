/**
 * What the viewer's pickers offer for the pilot: the scenario library's `pilot` files (04-14,
 * read from scenarios/*.json, so a new numbered file shows up without code) and each scenario's
 * fault catalogue. A catalogue fault starts at the instant it is injected; the outages and
 * degradations act on the parties of the pilot network (model/world/network.ts),
 * plus the scenario's own calendar outages and plan faults re-based to "now", so a planner can
 * repeat what the scenario does at another moment.
 */
import { readdirSync, readFileSync } from "node:fs"
import { join, resolve } from "node:path"
import { FAULT_TARGET_PARTIES, PILOT_NETWORK, partyLabel } from "../../model/world/network.ts"
import { isPilotScenario, type PilotScenario } from "../../model/world/pilot/pilot-scenario.ts"
import type { Fault } from "../../sim/faults/fault-plan.ts"
import { PROTOCOL_LIMITS } from "../../sim/server/protocol.ts"

const US_PER_HOUR = 3_600_000_000
const US_PER_DAY = 24 * US_PER_HOUR

export const SCENARIO_DIR = resolve(import.meta.dirname, "../../scenarios")

export interface PilotFile {
  readonly id: string
  readonly title: string
  readonly path: string
}

/** The library's pilot scenarios, by file name order (the numbering). */
export const pilotFiles = (dir = SCENARIO_DIR): PilotFile[] =>
  readdirSync(dir)
    .filter((f) => /^\d\d-.*\.json$/.test(f))
    .sort()
    .flatMap((f) => {
      const path = join(dir, f)
      try {
        const json = JSON.parse(readFileSync(path, "utf8")) as { name?: unknown; title?: unknown }
        if (!isPilotScenario(json)) return []
        const id = typeof json.name === "string" ? json.name : f.replace(/\.json$/, "")
        return [{ id, title: typeof json.title === "string" ? json.title.slice(0, 256) : id, path }]
      } catch {
        return []
      }
    })

export interface PilotCatalogueFault {
  readonly id: string
  readonly title: string
  readonly fault: (startUs: number) => Fault
}

const outage = (target: string, hours: number): PilotCatalogueFault => ({
  id: `${target}-down-${hours}h`,
  title: `${partyLabel(target)} down for ${hours} h`,
  fault: (startUs) => ({ kind: "outage", target, startUs, durationUs: hours * US_PER_HOUR }),
})

const GENERIC: ReadonlyArray<PilotCatalogueFault> = [
  ...FAULT_TARGET_PARTIES.map((p) => outage(p.id, 24)),
  outage(PILOT_NETWORK.mtps.id, 72),
  {
    id: `${PILOT_NETWORK.telcoOta.id}-degraded-30d`,
    title: `${PILOT_NETWORK.telcoOta.label} 4× slower, 30 % extra failures, 30 days`,
    fault: (startUs) => ({
      kind: "degradation",
      target: PILOT_NETWORK.telcoOta.id,
      startUs,
      durationUs: 30 * US_PER_DAY,
      latencyPermille: 4000,
      extraLoss: { numerator: 3, denominator: 10 },
    }),
  },
  {
    id: "hsm-pool-one-left-7d",
    title: "HSM pool down to 1 HSM for 7 days",
    fault: (startUs) => ({
      kind: "degradation",
      target: PILOT_NETWORK.tsmHsm.id,
      startUs,
      durationUs: 7 * US_PER_DAY,
      capacity: 1,
    }),
  },
  {
    id: `${PILOT_NETWORK.bankHost.id}-one-server-7d`,
    title: `${PILOT_NETWORK.bankHost.label} down to 1 server for 7 days`,
    fault: (startUs) => ({
      kind: "degradation",
      target: PILOT_NETWORK.bankHost.id,
      startUs,
      durationUs: 7 * US_PER_DAY,
      capacity: 1,
    }),
  },
]

/** The scenario's own faults, moved to start at the injection instant. */
const ownFaults = (s: PilotScenario): PilotCatalogueFault[] => [
  ...s.outages.map((o, i) => ({
    id: `scenario-outage-${i}`,
    title: `as the scenario: ${partyLabel(o.target)} down ${o.durationHours} h`,
    fault: (startUs: number): Fault => ({
      kind: "outage",
      target: o.target,
      startUs,
      durationUs: Math.round(o.durationHours * US_PER_HOUR),
    }),
  })),
  ...s.faults.flatMap((f, i) =>
    f.kind === "random-outage"
      ? []
      : [
          {
            id: `scenario-fault-${i}`,
            title: `as the scenario: ${f.kind} of ${partyLabel(f.target)}, ${Math.round(f.durationUs / US_PER_DAY)} days`,
            fault: (startUs: number): Fault => ({ ...f, startUs }),
          },
        ],
  ),
]

export const pilotFaultCatalogue = (s: PilotScenario): PilotCatalogueFault[] =>
  [...GENERIC, ...ownFaults(s)].slice(0, PROTOCOL_LIMITS.catalogueMax)
