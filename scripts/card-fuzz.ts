/**
 * The card's robustness property at scale (issue 4): any byte string sent to `transmit` returns
 * ≥ 2 bytes ending in a valid status word and never throws. The card under test is personalized
 * by the card story (ISD, SSD with an open secure channel, PPSE + PBOC); the inputs mix random
 * bytes with structure-aware mutations of the real commands the whole story sends (GP commands
 * wrapped by SCP02, qPBOC and standard-path terminal commands, issuer scripts): verbatim replays,
 * bit flips, rewritten header and length bytes, truncations, extensions and other logical channels,
 * a few commands per case — independent, or a window of consecutive story commands whose last one
 * is mutated — sometimes after a reset.
 *
 * Shared by the suite test (test/scripts/card-fuzz.test.ts, 100,000 cases) and the fuzz script
 * (scripts/fuzz-card.ts, a million and more). It lives in scripts/, not model/ or app/,
 * because it needs fast-check, a development dependency, and it is a check that fails, not a
 * benchmark (bench/ prints figures and never asserts).
 */
import fc from "fast-check"
import { nativeCrypto } from "../model/crypto/native-crypto.ts"
import { runCardStory } from "../model/host/card-story/card-story.ts"

export interface FuzzCase {
  readonly reset: boolean
  readonly commands: ReadonlyArray<Uint8Array>
}

const FIXED = 2
/** Commands not in the story that reach other runtime paths: MANAGE CHANNEL, GET RESPONSE. */
const EXTRA_COMMANDS = [
  Uint8Array.of(0x00, 0x70, 0x00, 0x00, 0x01),
  Uint8Array.of(0x00, 0x70, 0x80, 0x01, 0x00),
  Uint8Array.of(0x00, 0xc0, 0x00, 0x00, 0x00),
]

/** The real commands of the whole story (seed 1), the mutation corpus. */
export const storyCorpus = (): ReadonlyArray<Uint8Array> => [
  ...runCardStory({ seed: 1, crypto: nativeCrypto }).exchanges.map((e) => e.command),
  ...EXTRA_COMMANDS,
]

type Mutation = (c: Uint8Array) => Uint8Array

const at = (c: Uint8Array, index: number) => (c.length === 0 ? 0 : index % c.length)

const mutation = (): fc.Arbitrary<Mutation> =>
  fc.oneof(
    fc.constant<Mutation>((c) => c),
    fc.nat().map<Mutation>((bit) => (c) => {
      const out = c.slice()
      if (out.length > 0) out[at(out, bit >> 3)]! ^= 1 << (bit & 7)
      return out
    }),
    fc
      .tuple(fc.integer({ min: 0, max: 4 }), fc.integer({ min: 0, max: 255 }))
      .map<Mutation>(([index, value]) => (c) => {
        const out = c.slice()
        if (index < out.length) out[index] = value
        return out
      }),
    fc.integer({ min: 1, max: 3 }).map<Mutation>((channel) => (c) => {
      const out = c.slice()
      if (out.length > 0) out[0] = (out[0]! & 0xfc) | channel
      return out
    }),
    fc.nat().map<Mutation>((n) => (c) => c.slice(0, at(c, n))),
    fc.uint8Array({ minLength: 1, maxLength: 8 }).map<Mutation>((tail) => (c) => {
      const out = new Uint8Array(c.length + tail.length)
      out.set(c)
      out.set(tail, c.length)
      return out
    }),
  )

/** A case: 1-4 commands, each random bytes or a (mutated) story command; sometimes a reset first. */
export const fuzzCaseArbitrary = (corpus: ReadonlyArray<Uint8Array>): fc.Arbitrary<FuzzCase> => {
  const real = fc
    .tuple(fc.integer({ min: 0, max: corpus.length - 1 }), mutation())
    .map(([i, mutate]) => mutate(corpus[i]!))
  const input = fc.oneof(
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 300 }) },
    { weight: 3, arbitrary: real },
  )
  // A window of consecutive story commands with its last one mutated reaches the deep states
  // (SELECT then GPO then a mutated GENERATE AC) that independent commands rarely line up.
  const window = fc
    .tuple(fc.integer({ min: 0, max: corpus.length - 1 }), fc.integer({ min: 2, max: 4 }), mutation())
    .map(([start, n, mutate]) => {
      const run = corpus.slice(start, start + n)
      return [...run.slice(0, -1), mutate(run.at(-1)!)]
    })
  return fc.record({
    reset: fc.integer({ min: 0, max: 19 }).map((n) => n === 0),
    commands: fc.oneof({ weight: 2, arbitrary: fc.array(input, { minLength: 1, maxLength: 4 }) }, window),
  })
}

/** ISO 7816-4 §5.1.3: SW1 is 6X (not 60) or 9X. Null when the response is acceptable. */
export const responseViolation = (response: unknown): string | null => {
  if (!(response instanceof Uint8Array)) return "the response is not bytes"
  if (response.length < FIXED) return `the response has ${response.length} byte(s)`
  const sw1 = response[response.length - 2]!
  const valid = (sw1 >> 4 === 0x6 && sw1 !== 0x60) || sw1 >> 4 === 0x9
  return valid ? null : `SW1 ${sw1.toString(16).padStart(2, "0")} is not a status word`
}

export interface FuzzOptions {
  readonly cases: number
  /** fast-check's seed: the same seed replays the same inputs against the same card. */
  readonly seed: number
  /** Called every `progressEvery` cases with the count so far. */
  readonly onProgress?: (casesDone: number) => void
  readonly progressEvery?: number
  /** Wraps the card's transmit (tests use it to plant a fault the runner must report). */
  readonly interpose?: (transmit: (command: Uint8Array) => Uint8Array) => (command: Uint8Array) => Uint8Array
}

export interface FuzzSummary {
  readonly cases: number
  readonly commands: number
  /** The first violation: the case's commands, which one failed, and why (a thrown error included). */
  readonly failure: { readonly case: FuzzCase; readonly index: number; readonly reason: string } | null
}

/**
 * Runs the property. The card is stateful (its ATC, sessions and channels evolve), so shrinking
 * would replay inputs against a different card: the run ends at the first failure unshrunk, and
 * the seed reproduces it.
 */
export const fuzzCard = (options: FuzzOptions): FuzzSummary => {
  const corpus = storyCorpus()
  const story = runCardStory({ seed: 1, crypto: nativeCrypto, until: "personalize", record: false })
  const card = story.context.card
  const transmit = options.interpose?.(card.transmit) ?? card.transmit
  const every = options.progressEvery ?? 100_000
  let cases = 0
  let commands = 0
  let failure: FuzzSummary["failure"] = null
  const property = fc.property(fuzzCaseArbitrary(corpus), (fuzzCase) => {
    cases++
    if (cases % every === 0) options.onProgress?.(cases)
    if (fuzzCase.reset) card.reset()
    for (const [index, bytes] of fuzzCase.commands.entries()) {
      commands++
      let reason: string | null
      try {
        reason = responseViolation(transmit(bytes))
      } catch (error) {
        reason = `transmit threw: ${error instanceof Error ? error.stack : String(error)}`
      }
      if (reason !== null) {
        failure = { case: fuzzCase, index, reason }
        return false
      }
    }
    return true
  })
  fc.check(property, { numRuns: options.cases, seed: options.seed, endOnFailure: true })
  return { cases, commands, failure }
}
