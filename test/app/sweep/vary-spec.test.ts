// Proves --vary parsing: paths into objects and arrays resolve, a missing field or a value of the
// wrong type fails with a message naming the path, and applying a value leaves the input intact.
import { describe, expect, it } from "vitest"
import { gridOf } from "../../../app/sweep/sweep-grid.ts"
import { parseVary, withValue } from "../../../app/sweep/vary-spec.ts"

const scenario = { mtpsServers: 4, otaBearers: { cmcc: "bip" }, mtpsOutages: [{ startMinute: 10 }], on: true }

describe("parseVary", () => {
  it("reads numbers, strings, booleans and array indices", () => {
    expect(parseVary("mtpsServers=1,2, 4", scenario)).toMatchObject({ ok: true, spec: { values: [1, 2, 4] } })
    expect(parseVary("otaBearers.cmcc=bip,sms-pp", scenario)).toMatchObject({
      ok: true,
      spec: { keys: ["otaBearers", "cmcc"], values: ["bip", "sms-pp"] },
    })
    expect(parseVary("mtpsOutages.0.startMinute=5", scenario)).toMatchObject({
      ok: true,
      spec: { keys: ["mtpsOutages", 0, "startMinute"] },
    })
    expect(parseVary("on=false,true", scenario)).toMatchObject({ ok: true, spec: { values: [false, true] } })
  })

  it("names the path when the field is missing, the type is wrong or the syntax is bad", () => {
    const fails = (arg: string, text: string) => {
      const r = parseVary(arg, scenario)
      expect(r.ok).toBe(false)
      if (!r.ok) expect(r.message).toContain(text)
    }
    fails("mtpsServerz=1,2", "no field mtpsServerz")
    fails("mtpsOutages.3.startMinute=1", "no field mtpsOutages.3")
    fails("mtpsServers=1,many", '"many" is not a number')
    fails("on=yes", '"yes" is not a boolean')
    fails("otaBearers=1", "otaBearers: the field is an object")
    fails("mtpsServers", "expected <json.path>=<v1,v2,...>")
    fails("mtpsServers=2,2", "repeated")
  })

  it("applies a value to a copy and builds the grid with the first path slowest", () => {
    const copy = withValue(scenario, ["mtpsOutages", 0, "startMinute"], 99) as typeof scenario
    expect(copy.mtpsOutages[0]!.startMinute).toBe(99)
    expect(scenario.mtpsOutages[0]!.startMinute).toBe(10)
    const a = parseVary("mtpsServers=1,2", scenario)
    const b = parseVary("on=true,false", scenario)
    if (!(a.ok && b.ok)) throw new Error("parse")
    expect(gridOf([a.spec, b.spec])).toEqual([
      { mtpsServers: 1, on: true },
      { mtpsServers: 1, on: false },
      { mtpsServers: 2, on: true },
      { mtpsServers: 2, on: false },
    ])
  })
})
