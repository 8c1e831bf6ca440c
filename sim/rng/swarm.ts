/**
 * Swarm weights (swarm testing, Groce et al. 2012; TigerBeetle's VOPR): per seed, switch some
 * variants off entirely and give the rest skewed integer weights, so that across many seeds the
 * runs explore corners a fixed uniform mix would rarely reach.
 */
import type { Stream } from "./stream.ts"

export interface SwarmOptions {
  /** Chance that a variant is switched off, as numerator / denominator. */
  readonly offNumerator?: number
  readonly offDenominator?: number
  /** Weights of enabled variants are drawn from [1, weightMax]. */
  readonly weightMax?: number
}

/** Integer weights per variant; at least one variant always stays on. */
export const swarmWeights = <K extends string>(
  s: Stream,
  variants: ReadonlyArray<K>,
  options: SwarmOptions = {},
): Record<K, number> => {
  if (variants.length === 0) throw new RangeError("no variants")
  const offNum = options.offNumerator ?? 1
  const offDen = options.offDenominator ?? 2
  const weightMax = options.weightMax ?? 100
  const weights = {} as Record<K, number>
  let enabled = 0
  for (const v of variants) {
    const on = !s.chance(offNum, offDen)
    // Squaring a uniform draw skews the weights towards small values with a few large ones.
    const u = 1 + s.below(weightMax)
    weights[v] = on ? Math.max(1, Math.round((u * u) / weightMax)) : 0
    if (on) enabled++
  }
  if (enabled === 0) weights[variants[s.below(variants.length)]!] = 1
  return weights
}
