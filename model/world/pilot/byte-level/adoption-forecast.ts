/**
 * The byte-level first cards to come, from the adoption schedule (drawn ahead, population-run.ts),
 * for the byte plane to post their issuance jobs ahead of their orders (issuance-plane.ts): an
 * adopter's order starts at its adoption instant — the adoption event (population-process.ts)
 * fires at the instant of the next adopter, at 0 for the installed base — with card generation 0.
 */
import type { PopulationRun } from "../../../population/population-run.ts"
import type { AdoptionForecast } from "./issuance-plane.ts"

/** `wants`: whether a user would be byte-level as far as is known now (it takes no place). */
export const adoptionForecast = (run: PopulationRun, wants: (user: number) => boolean): AdoptionForecast => ({
  next: (from) => {
    for (let at = Math.max(from, run.adoptionPosition); at < run.adoptersScheduled; at++) {
      const user = run.adopterAt(at)
      if (wants(user)) return { position: at, user, nowUs: Math.max(0, run.adoptionUsOf(user)) }
    }
    return null
  },
})
