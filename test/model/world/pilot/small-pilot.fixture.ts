// A library scenario's small pilot world (0.002×) for tests that read what a world shows: its JSON
// (to edit), the world started and not yet run, the whole run at once, and the boundary loop the
// live run uses.
import { readFileSync } from "node:fs"
import { resolve } from "node:path"
import { nativeCrypto } from "../../../../model/crypto/native-crypto.ts"
import {
  type PilotBoundaryHooks,
  type PilotRunOptions,
  type PilotRunState,
  type PilotStart,
  pilotBoundary,
  runPilot,
  startPilot,
} from "../../../../model/world/pilot/pilot-run.ts"
import { decodePilotScenario } from "../../../../model/world/pilot/pilot-scenario.ts"

/** A library scenario's JSON, by name (`04-pilot-plan`), fresh for each call. */
export const scenarioJson = (name: string): Record<string, unknown> =>
  JSON.parse(readFileSync(resolve(import.meta.dirname, `../../../../scenarios/${name}.json`), "utf8"))

/** The small world's options: the scenario (its JSON edited by `edit`) at 0.002× with `seed`, until `untilDate`. */
const smallOptions = (
  name: string,
  seed: number,
  untilDate: string,
  edit: (json: Record<string, unknown>) => void,
): PilotRunOptions => {
  const json = scenarioJson(name)
  edit(json)
  const decoded = decodePilotScenario(json)
  if (!decoded.ok) throw new Error(decoded.message)
  return {
    scenario: decoded.value,
    population: decoded.population,
    scale: 0.002,
    seed,
    crypto: nativeCrypto,
    untilDate,
  }
}

export const startSmallPilot = (name: string, seed: number, untilDate: string): PilotStart =>
  startPilot(smallOptions(name, seed, untilDate, () => {}))

/** The whole small run at once (runPilot). */
export const runSmallPilot = (
  name: string,
  seed: number,
  untilDate: string,
  edit: (json: Record<string, unknown>) => void = () => {},
): PilotRunState => runPilot(smallOptions(name, seed, untilDate, edit))

/** Runs a started world to its last day with a boundary every `everyUs` (which must divide a day). */
export const runBoundaries = (start: PilotStart, everyUs: number, hooks: PilotBoundaryHooks): void => {
  const boundary = pilotBoundary(start, hooks)
  const world = start.state.world
  try {
    for (let t = 0; t <= start.days * 86_400_000_000; t += everyUs) {
      world.kernel.run(t)
      boundary(t)
    }
  } finally {
    world.issuanceJobs.close()
  }
}
