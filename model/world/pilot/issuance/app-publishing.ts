/**
 * Which applications count as in service, and from which day (issue 12 item 6): only an app the
 * 贵州通 TSM published through its app-publishing check (model/parties/tsm/app-catalogue.ts
 * `publicationRefusal`: a well-formed app id not yet in the catalogue, an SP under contract) counts,
 * from the later of its launch and its SP's contract date. An app the TSM refuses (a second app of
 * the same name, an id the catalogue cannot hold) never counts. The scenario's apps are "7+N"
 * wallet services and bank cards alike; none carries SE AIDs here, so each is published as a
 * cloud app of its own SP (`sp-<app id>`).
 */
import { daysFromIso } from "../../../calendar/civil-calendar.ts"
import { publicationRefusal } from "../../../parties/tsm/app-catalogue.ts"
import type { PublishedApp } from "../../../parties/tsm/order-request.ts"
import type { PilotScenario } from "../pilot-scenario.ts"

export interface Publication {
  readonly appId: string
  /** Days from time zero the app is in service from; null when the TSM refused it. */
  readonly day: number | null
  readonly refusal: string | null
}

const appIdOf = (name: string): string =>
  name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")

/** Each scenario app's publication, in the order the TSM receives them (by day, then as listed). */
export const publishApps = (
  apps: PilotScenario["apps"],
  timeZeroDays: number,
): ReadonlyArray<Publication> => {
  const requests = apps.map((a, index) => {
    const launch = daysFromIso(a.launchDate) - timeZeroDays
    const contract = a.spContractDate === undefined ? launch : daysFromIso(a.spContractDate) - timeZeroDays
    return { index, appId: appIdOf(a.name), launch, contract, day: Math.max(launch, contract) }
  })
  const catalogue = new Map<string, PublishedApp>()
  const contracted = new Set<string>()
  const out: Publication[] = new Array(apps.length)
  for (const r of [...requests].sort((a, b) => a.day - b.day || a.index - b.index)) {
    // The SPs under contract on the day the TSM handles the publication.
    for (const other of requests) if (other.contract <= r.day) contracted.add(`sp-${other.appId}`)
    const app: PublishedApp = {
      appId: r.appId,
      spId: `sp-${r.appId}`,
      category: "cloud",
      bankId: "",
      label: apps[r.index]!.name,
      appAid: "",
      ssdAid: "",
    }
    const refusal = publicationRefusal(catalogue, app, contracted)
    if (refusal === null) catalogue.set(app.appId, app)
    out[r.index] = { appId: r.appId, day: refusal === null ? r.day : null, refusal }
  }
  return out
}

/** The days apps went into service (refused apps never do), for `appsBy` (pilot-run.ts). */
export const publishedAppDays = (apps: PilotScenario["apps"], timeZeroDays: number): ReadonlyArray<number> =>
  publishApps(apps, timeZeroDays).map((p) => p.day ?? Number.POSITIVE_INFINITY)
