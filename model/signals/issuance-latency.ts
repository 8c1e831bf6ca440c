/**
 * The issuances' end-to-end latency percentiles by path, from the world's own histograms (the ones
 * the report's latency table reads), for the viewer's party drill-down: an order's wait in a
 * party's line shows up here, from the bank's identity check to the card's activation.
 */
import { Schema } from "effect"

export const ISSUANCE_LATENCY_SIGNAL = "issuance.latency"

const Us = Schema.Int.check(Schema.isGreaterThanOrEqualTo(0))

export const PathLatency = Schema.Struct({
  path: Schema.String.check(Schema.isMaxLength(32)),
  count: Us,
  p50Us: Us,
  p95Us: Us,
  p99Us: Us,
  maxUs: Us,
})
export type PathLatency = typeof PathLatency.Type

export const IssuanceLatency = Schema.Struct({
  paths: Schema.Array(PathLatency).check(Schema.isMaxLength(16)),
})
export type IssuanceLatency = typeof IssuanceLatency.Type
