// A small pilot world of a library scenario (0.002×), started but not run, and the boundary loop
// that runs it as the live run does, for tests of what the viewer reads from a world.
import { readFileSync } from "node:fs"
import { resolve } from "node:path"
import { nativeCrypto } from "../../../model/crypto/native-crypto.ts"
import {
  type PilotBoundaryHooks,
  type PilotStart,
  pilotBoundary,
  startPilot,
} from "../../../model/world/pilot/pilot-run.ts"
import { decodePilotScenario } from "../../../model/world/pilot/pilot-scenario.ts"

/** A library scenario's file, by name. */
export const scenarioFile = (name: string): string =>
  resolve(import.meta.dirname, `../../../scenarios/${name}.json`)

export const startSmallPilot = (name: string, seed: number, untilDate: string): PilotStart => {
  const decoded = decodePilotScenario(JSON.parse(readFileSync(scenarioFile(name), "utf8")))
  if (!decoded.ok) throw new Error(decoded.message)
  return startPilot({
    scenario: decoded.value,
    population: decoded.population,
    scale: 0.002,
    seed,
    crypto: nativeCrypto,
    untilDate,
  })
}

/** Runs the world to its last day with a boundary every `everyUs` (which must divide a day). */
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
