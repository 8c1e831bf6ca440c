// Proves the card's robustness property at the suite's scale: 100,000 fuzz cases (random bytes
// and structure-aware mutations of the card story's real commands) against a personalized card
// all answer ≥ 2 bytes ending in a valid status word, without throwing; and that the oracle and
// the runner do catch a violation.
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { fuzzCard, fuzzCaseArbitrary, responseViolation, storyCorpus } from "../../scripts/card-fuzz.ts"
import { propertyRuns } from "../property-runs.ts"

describe("card fuzzing", () => {
  const cases = propertyRuns(100_000)
  it(`finds no violation in ${cases.toLocaleString("en")} cases`, { timeout: 120_000 }, () => {
    const started = process.hrtime.bigint()
    const summary = fuzzCard({ cases, seed: 4 })
    const seconds = Number(process.hrtime.bigint() - started) / 1e9
    console.log(`card fuzz: ${summary.cases} cases, ${summary.commands} commands in ${seconds.toFixed(1)} s`)
    expect(summary.failure).toBeNull()
    expect(summary.cases).toBe(cases)
    expect(summary.commands).toBeGreaterThan(2 * cases)
  })

  it("reports the first violation unshrunk, with the case that caused it", () => {
    const planted = fuzzCard({
      cases: 10_000,
      seed: 4,
      interpose: (transmit) => (bytes) => {
        if (bytes[1] === 0xa8) throw new Error("planted fault")
        return bytes[1] === 0xe2 && bytes.length > 40 ? Uint8Array.of(0x90) : transmit(bytes)
      },
    })
    const failure = planted.failure
    expect(failure).not.toBeNull()
    const failing = failure!.case.commands[failure!.index]!
    expect([0xa8, 0xe2]).toContain(failing[1])
    expect(failure!.reason).toMatch(failing[1] === 0xa8 ? /threw: Error: planted fault/ : /1 byte/)
    expect(planted.cases).toBeLessThan(10_000)
  })

  it("judges responses by ISO 7816-4 status words", () => {
    expect(responseViolation(Uint8Array.of(0x90, 0x00))).toBeNull()
    expect(responseViolation(Uint8Array.of(1, 2, 0x6a, 0x82))).toBeNull()
    expect(responseViolation(Uint8Array.of(0x90))).toMatch(/1 byte/)
    expect(responseViolation(Uint8Array.of(0x60, 0x00))).toMatch(/SW1 60/)
    expect(responseViolation(Uint8Array.of(0x12, 0x34))).toMatch(/SW1 12/)
    expect(responseViolation("9000")).toMatch(/not bytes/)
  })

  it("mutates the story's real commands as well as sending random bytes", () => {
    const corpus = storyCorpus()
    const known = new Set(corpus.map((c) => c.join()))
    const cases = fc.sample(fuzzCaseArbitrary(corpus), { numRuns: 2_000, seed: 9 })
    const commands = cases.flatMap((c) => c.commands)
    const verbatim = commands.filter((c) => known.has(c.join())).length
    const headerLike = commands.filter(
      (c) => c.length >= 4 && [0x80, 0x84, 0x00].includes(c[0]! & 0xfc),
    ).length
    expect(verbatim).toBeGreaterThan(commands.length / 10)
    expect(headerLike).toBeGreaterThan(commands.length / 2)
    expect(cases.some((c) => c.reset)).toBe(true)
  })
})
