/**
 * Publishing an application on the TSM (issue 5: application registry and publishing; SP
 * authorization): a pure check of one publication against the catalogue and the SPs the TSM has
 * contracts with. An SE application needs AIDs an SE can hold (ISO/IEC 7816-5: 5-16 bytes) and
 * an instance AID no other SP's application on the platform uses, since two SSDs installing the
 * same instance AID on one SE would collide; a cloud app needs none.
 */
import type { PublishedApp } from "./order-request.ts"

const AID = /^(?:[0-9A-F]{2}){5,16}$/
const APP_ID = /^[a-z0-9][a-z0-9-]{0,31}$/

/** Why the publication is refused, or null when it may be published. */
export const publicationRefusal = (
  catalogue: ReadonlyMap<string, PublishedApp>,
  app: PublishedApp,
  contractedSps: ReadonlySet<string>,
): string | null => {
  if (!APP_ID.test(app.appId)) return `app id "${app.appId}"`
  if (catalogue.has(app.appId)) return `app ${app.appId} is already published`
  if (!contractedSps.has(app.spId)) return `SP ${app.spId} has no contract with the TSM`
  if (app.category === "cloud")
    return app.appAid === "" && app.ssdAid === "" ? null : "a cloud app has no SE AIDs"
  if (!AID.test(app.appAid) || !AID.test(app.ssdAid)) return "SE AIDs must be 5-16 bytes of upper-case hex"
  if (app.category === "bank-card" && app.bankId === "") return "a bank card names its bank"
  for (const other of catalogue.values())
    if (other.spId !== app.spId && (other.appAid === app.appAid || other.ssdAid === app.ssdAid))
      return `AIDs already used by ${other.appId} of ${other.spId}`
  return null
}
