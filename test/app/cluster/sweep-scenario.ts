/**
 * The cluster tests' sweep: `06-issuance-campaign` at its smallest useful size (a thousandth of
 * the pilot's users, two months of simulated time), six points along `scaleFactor` so that every
 * point has a different population and so a different digest, two replications each — twelve
 * runs whose digests identify exactly which (point, seed) produced them.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join, resolve } from "node:path"

export const VARY = "scaleFactor=0.0005,0.0006,0.0007,0.0008,0.0009,0.001"
export const REPLICATIONS = 2
export const RUNS = 12

export const campaignScenarioFile = (over: Record<string, unknown> = {}): string => {
  const json = JSON.parse(
    readFileSync(resolve(import.meta.dirname, "../../../scenarios/06-issuance-campaign.json"), "utf8"),
  )
  const path = join(mkdtempSync(join(tmpdir(), "cluster-sweep-")), "06-small.json")
  writeFileSync(
    path,
    JSON.stringify({ ...json, scaleFactor: 0.001, untilDate: "2014-09-30", ...over }, null, 2),
  )
  return path
}

export interface SweepJsonRun {
  readonly point: number
  readonly replication: number
  readonly seed: number
  readonly digest: string
}

export const runsOf = (folder: string): SweepJsonRun[] =>
  JSON.parse(readFileSync(join(folder, "sweep.json"), "utf8")).runs
