/**
 * Simulated time: an integer count of microseconds held in a `number` (DESIGN.md §4). A double
 * represents every integer up to 2^53 exactly, which is about 285 years of microseconds, so
 * instants and durations never lose precision and never need BigInt on the hot path.
 */
export type Us = number & { readonly Us: unique symbol }

/** The largest representable instant; `run()` without a limit runs until this time. */
export const US_MAX = Number.MAX_SAFE_INTEGER as Us

export const US_PER_MS = 1_000
export const US_PER_SECOND = 1_000_000
export const US_PER_MINUTE = 60 * US_PER_SECOND
export const US_PER_HOUR = 60 * US_PER_MINUTE
export const US_PER_DAY = 24 * US_PER_HOUR

/** Brands a non-negative safe integer as microseconds; anything else is a programmer error. */
export const us = (value: number): Us => {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`not a µs count: ${value}`)
  return value as Us
}

export const msToUs = (ms: number): Us => us(Math.round(ms * US_PER_MS))
export const secondsToUs = (seconds: number): Us => us(Math.round(seconds * US_PER_SECOND))
export const hoursToUs = (hours: number): Us => us(Math.round(hours * US_PER_HOUR))
export const usToSeconds = (value: Us): number => value / US_PER_SECOND
