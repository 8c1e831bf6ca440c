/**
 * Scale (DESIGN.md §4 "Fidelity and scale"): a scale factor s multiplies the market (users and the
 * installed base), the phase targets' counts and values, and the batch campaigns — a 0.1× run is
 * a tenth of Guiyang with a tenth of the targets, so pass/fail and margins read the same at any
 * scale. Party capacities are not scaled: a small-scale run loads them less (the report's
 * utilisation shows it), and province-scale (10×) shows what the pilot's platform would face.
 */
import type { PopulationParams } from "../../population/population-params.ts"

export const scaledPopulation = (p: PopulationParams, scale: number): PopulationParams => ({
  ...p,
  market: { ...p.market, marketUsers: Math.max(1, Math.round(p.market.marketUsers * scale)) },
  adoption: { ...p.adoption, initialAdopters: Math.round(p.adoption.initialAdopters * scale) },
})

/** A count target at scale s (at least 0, rounded up so a tiny run is never judged against 0). */
export const scaledCount = (n: number, scale: number): number => Math.ceil(n * scale)
