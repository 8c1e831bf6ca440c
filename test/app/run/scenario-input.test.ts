/**
 * Proves that a scenario file or run flag with errors is refused with every error named by its
 * JSON path or flag, all at once: each case issue 11 lists, by name, in process (the CLI test
 * checks a few of them end to end through exit codes).
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join, resolve } from "node:path"
import { describe, expect, it } from "vitest"
import { scenarioJsonSchema } from "../../../app/cli/schema-command.ts"
import { BadInput, type Problem } from "../../../app/run/errors.ts"
import {
  type LoadedScenario,
  loadScenarioSync,
  type RunOverrides,
  SCENARIO_BYTES_MAX,
} from "../../../app/run/scenario-input.ts"

const ROOT = resolve(import.meta.dirname, "../../..")
const dir = mkdtempSync(join(tmpdir(), "scenario-input-"))
const library = (name: string) => JSON.parse(readFileSync(join(ROOT, "scenarios", name), "utf8"))
const pilot = () => library("04-pilot-plan.json")
/** Money- and issuance-kind scenarios (the old worlds' workbenches under test/model/world/). */
const money = () =>
  JSON.parse(readFileSync(join(ROOT, "test/model/world/money/money-workbench.json"), "utf8"))
const issuance = () =>
  JSON.parse(readFileSync(join(ROOT, "test/model/world/issuance/issuance-workbench.json"), "utf8"))

let files = 0
const write = (content: string | Buffer): string => {
  const path = join(dir, `s${files++}.json`)
  writeFileSync(path, content)
  return path
}

/** The problems of a file that must be refused (fails the test when it is accepted). */
const problemsOf = (json: unknown, overrides: RunOverrides = {}): ReadonlyArray<Problem> => {
  const loaded = loadScenarioSync(write(JSON.stringify(json)), overrides)
  if (!(loaded instanceof BadInput)) throw new Error(`accepted: ${JSON.stringify(json).slice(0, 80)}`)
  return loaded.problems
}

const accepted = (json: unknown, overrides: RunOverrides = {}): LoadedScenario => {
  const loaded = loadScenarioSync(write(JSON.stringify(json)), overrides)
  if (loaded instanceof BadInput) throw new Error(JSON.stringify(loaded.problems))
  return loaded
}

describe("unknown keys", () => {
  it("capacty (a top-level typo) is named with its near miss", () => {
    const { capacity, ...rest } = pilot()
    const problems = problemsOf({ ...rest, capacty: capacity })
    expect(problems).toContainEqual({
      at: '["capacty"]',
      text: 'unknown key "capacty"; did you mean "capacity"?',
    })
    expect(problems).toContainEqual({ at: '["capacity"]', text: "missing key" })
  })

  it("capacity.mtps.servrs (a nested typo) is named at its full path", () => {
    const s = pilot()
    s.capacity.mtps.servrs = 4
    expect(problemsOf(s)).toEqual([
      { at: '["capacity"]["mtps"]["servrs"]', text: 'unknown key "servrs"; did you mean "servers"?' },
    ])
  })

  it("a top-level colour (no near miss) lists the keys that exist there", () => {
    const problems = problemsOf({ ...pilot(), colour: "red" })
    expect(problems).toHaveLength(1)
    expect(problems[0]!.at).toBe('["colour"]')
    expect(problems[0]!.text).toMatch(/^unknown key "colour"; known keys here: .*capacity/)
  })

  it("money and issuance scenarios are closed too", () => {
    expect(problemsOf({ ...money(), dayz: 3 })[0]).toEqual({
      at: '["dayz"]',
      text: 'unknown key "dayz"; did you mean "days"?',
    })
    expect(problemsOf({ ...issuance(), usres: 3 })[0]).toEqual({
      at: '["usres"]',
      text: 'unknown key "usres"; did you mean "users"?',
    })
  })

  it("the generated JSON Schema of every kind says additionalProperties: false", () => {
    for (const kind of ["pilot", "money", "issuance"] as const) {
      const schema = scenarioJsonSchema(kind)
      expect(schema.additionalProperties, kind).toBe(false)
      const capacity = (schema.properties as Record<string, Record<string, unknown>>).capacity
      if (kind === "pilot")
        expect(JSON.stringify(capacity ?? schema.$defs)).toContain('"additionalProperties":false')
    }
  })
})

describe("dates, bounds, top levels, bytes", () => {
  it("2015-02-30 is not a date, wherever it is", () => {
    const s = pilot()
    s.apps[0].launchDate = "2015-02-30"
    expect(problemsOf(s)).toEqual([
      { at: '["apps"][0]["launchDate"]', text: '"2015-02-30" is not a day on the calendar' },
    ])
    // Leap days exist in leap years only.
    s.apps[0].launchDate = "2016-02-29"
    expect(accepted(s).kind).toBe("pilot")
  })

  it("five planted errors (structural and semantic) are all reported, each at its path", () => {
    const s = pilot()
    s.colour = "red" // unknown key
    s.capacity.mtps.servers = 0 // a capacity of zero
    s.apps[1].launchDate = "2015-02-30" // no such day
    s.phases[2].endDate = "2015-01-31" // phases out of order (and targets falling)
    s.capacity.telcoOta.apduRoundTripUsMax = 1 // max below min
    const at = problemsOf(s).map((p) => p.at)
    for (const path of [
      '["colour"]',
      '["capacity"]["mtps"]["servers"]',
      '["apps"][1]["launchDate"]',
      '["phases"][2]["endDate"]',
      '["capacity"]["telcoOta"]["apduRoundTripUsMax"]',
    ])
      expect(at, path).toContain(path)
  })

  it("each semantic check can fail on its own: horizon, phase order, cumulative targets, min ≤ max, path shares", () => {
    const late = pilot()
    late.untilDate = "2017-08-01"
    expect(problemsOf(late)[0]!.text).toContain("outside the population's horizon 2014-08-01 … 2017-07-31")
    const cumulative = pilot()
    cumulative.phases[1].cards = 1
    expect(problemsOf(cumulative)).toEqual([
      {
        at: '["phases"][1]["cards"]',
        text: "1 is below the previous phase's 200000 (targets are cumulative)",
      },
    ])
    const shares = issuance()
    shares.selfServicePermille += 1
    expect(problemsOf(shares)[0]!.at).toBe('["selfServicePermille"]')
    const latency = issuance()
    latency.walletLatency = { msMin: 50, msMax: 10 }
    expect(problemsOf(latency)).toEqual([{ at: '["walletLatency"]["msMax"]', text: "10 must be ≥ msMin 50" }])
  })

  it("null, arrays and other non-object top levels are errors, not crashes", () => {
    expect(problemsOf(null)).toEqual([{ at: "", text: "a scenario is a JSON object ({ … }), not null" }])
    expect(problemsOf([pilot()])).toEqual([
      { at: "", text: "a scenario is a JSON object ({ … }), not an array" },
    ])
    expect(problemsOf(42)[0]!.text).toContain("not a number")
    expect(problemsOf({ ...pilot(), capacity: null })).toContainEqual({
      at: '["capacity"]',
      text: "Expected object",
    })
  })

  it("non-UTF-8 bytes are refused with the offset of the first bad byte", () => {
    const text = Buffer.from(JSON.stringify({ ...pilot(), title: "贵州通 X" }))
    const at = text.indexOf("X")
    text[at] = 0xff
    const loaded = loadScenarioSync(write(text))
    expect(loaded).toBeInstanceOf(BadInput)
    expect((loaded as BadInput).problems).toEqual([
      { at: "", text: `the file is not UTF-8 text (byte ${at} is 0xff)` },
    ])
  })

  it("files and lists beyond their documented bounds are refused", () => {
    const big = loadScenarioSync(write(" ".repeat(SCENARIO_BYTES_MAX + 1)))
    expect((big as BadInput).problems[0]!.text).toContain(`scenarios are at most ${SCENARIO_BYTES_MAX}`)
    const s = pilot()
    const outage = library("08-mtps-outage.json").outages[0]
    s.outages = Array.from({ length: 1001 }, () => outage)
    expect(problemsOf(s)).toEqual([
      { at: '["outages"]', text: "Expected a value with a length of at most 1000" },
    ])
    s.outages = s.outages.slice(0, 1000)
    expect(accepted(s).kind).toBe("pilot")
  })

  it("a misspelt kind is named as such, once, with its near miss", () => {
    expect(problemsOf({ ...pilot(), kind: "pilto" })).toEqual([
      {
        at: '["kind"]',
        text: 'unknown scenario kind "pilto"; did you mean "pilot"? (kinds: pilot, money, issuance)',
      },
    ])
  })
})

describe("run flags go through the scenario's Schema", () => {
  const flagProblems = (overrides: RunOverrides) => problemsOf(pilot(), overrides)

  it("--scale -1 and --scale 0 are outside (0, max]", () => {
    expect(flagProblems({ scale: -1 })).toEqual([
      { at: "--scale", text: "Expected a value greater than 0 (given -1)" },
    ])
    expect(flagProblems({ scale: 0 })).toEqual([
      { at: "--scale", text: "Expected a value greater than 0 (given 0)" },
    ])
    expect(flagProblems({ scale: 101 })[0]!.at).toBe("--scale")
    expect(accepted(pilot(), { scale: 100 }).json.scaleFactor).toBe(100)
  })

  it("--seed -5 is not a seed", () => {
    expect(flagProblems({ seed: -5 })).toEqual([
      { at: "--seed", text: "Expected a value greater than or equal to 0 (given -5)" },
    ])
    expect(flagProblems({ seed: 2 ** 53 })[0]!.at).toBe("--seed")
  })

  it("--until 2014-02-30 is not a date, --until past the end is outside the horizon", () => {
    expect(flagProblems({ until: "2014-02-30" })).toEqual([
      { at: "--until", text: '"2014-02-30" is not a day on the calendar (given "2014-02-30")' },
    ])
    expect(flagProblems({ until: "2017-08-01" })).toEqual([
      {
        at: "--until",
        text: `2017-08-01 lies outside the population's horizon 2014-08-01 … 2017-07-31 (given "2017-08-01")`,
      },
    ])
    expect(flagProblems({ until: "2014-07-31" })[0]!.at).toBe("--until")
    expect(accepted(pilot(), { until: "2015-12-31" }).json.untilDate).toBe("2015-12-31")
  })

  it("--byte-level F is a share in [0, 1] that replaces the file's fidelity (its cap included)", () => {
    expect(flagProblems({ byteLevel: 1.5 })).toEqual([
      { at: "--byte-level", text: "Expected a value less than or equal to 1 (given 1.5)" },
    ])
    expect(flagProblems({ byteLevel: -0.1 })).toEqual([
      { at: "--byte-level", text: "Expected a value greater than or equal to 0 (given -0.1)" },
    ])
    expect(accepted(pilot(), { byteLevel: 1 }).json.fidelity).toEqual({ byteLevelFraction: 1 })
    expect(accepted(pilot(), { byteLevel: 0 }).json.fidelity).toEqual({ byteLevelFraction: 0 })
    expect(problemsOf(money(), { byteLevel: 0.5 })).toEqual([
      { at: "--byte-level", text: "applies to pilot scenarios only; this is a money scenario" },
    ])
  })

  it("fidelity and crypto fields are checked by the file's Schema", () => {
    expect(problemsOf({ ...pilot(), fidelity: { byteLevelFraction: 2 } })[0]!.at).toBe(
      '["fidelity"]["byteLevelFraction"]',
    )
    expect(problemsOf({ ...pilot(), fidelity: { byteLevelPermille: 10 } }).map((p) => p.at)).toContain(
      '["fidelity"]["byteLevelPermille"]',
    )
    expect(problemsOf({ ...pilot(), crypto: { keySeed: "" } })[0]!.at).toBe('["crypto"]["keySeed"]')
    expect(accepted({ ...pilot(), crypto: { keySeed: "k1" } }).kind).toBe("pilot")
  })

  it("--scale and --until on a kind without those fields are named, not ignored", () => {
    expect(problemsOf(money(), { scale: 0.5, seed: 3 })).toEqual([
      { at: "--scale", text: "applies to pilot scenarios only; this is a money scenario" },
    ])
  })
})
