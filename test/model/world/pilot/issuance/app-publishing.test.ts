/**
 * Applications count only once the TSM published them with their SP under contract
 * (model/world/pilot/issuance/app-publishing.ts over app-catalogue.ts's publication check).
 */
import { describe, expect, it } from "vitest"
import { daysFromIso } from "../../../../../model/calendar/civil-calendar.ts"
import { publishApps, publishedAppDays } from "../../../../../model/world/pilot/issuance/app-publishing.ts"
import { appsBy } from "../../../../../model/world/pilot/pilot-run.ts"

const zero = daysFromIso("2014-08-01")
const day = (iso: string) => daysFromIso(iso) - zero

describe("app publishing", () => {
  it("counts an app from the later of its launch and its SP's contract", () => {
    const days = publishedAppDays(
      [
        { name: "GYB debit", launchDate: "2014-08-01" },
        { name: "water (Guiyang)", launchDate: "2014-12-01", spContractDate: "2015-03-01" },
      ],
      zero,
    )
    expect(days).toEqual([0, day("2015-03-01")])
    expect(appsBy(days, day("2015-02-28"))).toBe(1)
    expect(appsBy(days, day("2015-03-01"))).toBe(2)
  })

  it("never counts an app the TSM refuses: a second app of one name, an id the catalogue cannot hold", () => {
    const p = publishApps(
      [
        { name: "bus transit", launchDate: "2014-08-01" },
        { name: "Bus Transit", launchDate: "2014-09-01" },
        { name: "电费", launchDate: "2014-08-01" },
      ],
      zero,
    )
    expect(p.map((x) => x.day)).toEqual([0, null, null])
    expect(p[1]!.refusal).toContain("already published")
    expect(p[2]!.refusal).toContain("app id")
    expect(appsBy(publishedAppDays([{ name: "电费", launchDate: "2014-08-01" }], zero), 1000)).toBe(0)
  })
})
