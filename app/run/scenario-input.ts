/**
 * Reading a scenario file as untrusted input (issue 11 "validation, complete"), shared by
 * `validate`, `list`, `run`, `sweep` and `view`: bounded size, UTF-8, JSON, an object at the top,
 * a known `kind` (a misspelling is named as such), the run flags applied through the same Schema
 * (`--seed` → `seed`, `--scale` → `scaleFactor`, `--until` → `untilDate`, `--byte-level` →
 * `fidelity.byteLevelFraction`, so a bad flag gets the file's own checks and is named by its
 * flag), then every error of the file at once.
 */
import { readFileSync, statSync } from "node:fs"
import { Effect } from "effect"
import { decodeIssuanceScenario } from "../../model/world/issuance/issuance-scenario.ts"
import { decodeMoneyScenario } from "../../model/world/money/money-scenario.ts"
import { decodePilotScenario } from "../../model/world/pilot/pilot-scenario.ts"
import { nearestName, pathText } from "../../model/world/scenario-problems.ts"
import { BadInput, type Problem } from "./errors.ts"

/** A scenario file is at most this big (the largest in the library is ~6 KB; inline populations ~20 KB). */
export const SCENARIO_BYTES_MAX = 1_048_576

export const SCENARIO_KINDS = ["pilot", "money", "issuance"] as const
export type ScenarioKind = (typeof SCENARIO_KINDS)[number]

/** The run flags a command was given; absent = the scenario's own value. */
export interface RunOverrides {
  readonly seed?: number | undefined
  readonly scale?: number | undefined
  readonly until?: string | undefined
  /** Share of users simulated byte-level, 0…1 (pilot scenarios). */
  readonly byteLevel?: number | undefined
}

/** Which scenario field each flag overrides (top-level fields). */
const FLAG_FIELDS = { seed: "seed", scale: "scaleFactor", until: "untilDate" } as const
const FLAGS = ["seed", "scale", "until", "byteLevel"] as const
type FlagName = (typeof FLAGS)[number]
const flagText = (flag: FlagName): string => (flag === "byteLevel" ? "--byte-level" : `--${flag}`)
/** `--byte-level`'s field: the flag sets the share and drops the file's cap, so `--byte-level 1` means every user. */
const BYTE_LEVEL_PATH = ["fidelity", "byteLevelFraction"] as const

export interface LoadedScenario {
  readonly path: string
  /** The file's text as read (its SHA-256 is the run's scenario hash). */
  readonly text: string
  /** The decoded JSON with the flags applied. */
  readonly json: Readonly<Record<string, unknown>>
  readonly kind: ScenarioKind
  readonly name: string
  readonly title: string
  readonly seed: number
}

const TITLES: Readonly<Record<ScenarioKind, string>> = {
  pilot: "the pilot",
  money: "money movement on real cards",
  issuance: "OTA issuance on real cards",
}

/** The offset of the first byte that is not UTF-8, or null when all of them are. */
const firstBadUtf8Byte = (bytes: Buffer): number | null => {
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(bytes)
    return null
  } catch {
    // The lenient decoding marks each bad sequence with U+FFFD; the first one not in the file
    // itself is where the bytes went wrong.
    const text = bytes.toString("utf8")
    let from = 0
    for (;;) {
      const at = text.indexOf("\uFFFD", from)
      if (at < 0) return 0
      const offset = Buffer.byteLength(text.slice(0, at))
      if (bytes[offset] !== 0xef || bytes[offset + 1] !== 0xbf || bytes[offset + 2] !== 0xbd) return offset
      from = at + 1
    }
  }
}

/** The file as text: readable, within the size bound, UTF-8 (a leading BOM is dropped). */
export const readScenarioText = (path: string): string | Problem => {
  let bytes: Buffer
  try {
    const size = statSync(path).size
    if (size > SCENARIO_BYTES_MAX)
      return { at: "", text: `the file has ${size} bytes; scenarios are at most ${SCENARIO_BYTES_MAX}` }
    bytes = readFileSync(path)
  } catch (error) {
    const code = (error as { code?: unknown }).code
    return { at: "", text: `cannot read the file (${typeof code === "string" ? code : String(error)})` }
  }
  const bad = firstBadUtf8Byte(bytes)
  if (bad !== null)
    return { at: "", text: `the file is not UTF-8 text (byte ${bad} is 0x${bytes[bad]?.toString(16)})` }
  const text = bytes.toString("utf8")
  return text.startsWith("\uFEFF") ? text.slice(1) : text
}

/** The text as a JSON object; null, arrays, strings and numbers at the top are errors. */
export const parseScenarioJson = (
  text: string,
): { readonly json: Record<string, unknown> } | { readonly problem: Problem } => {
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (error) {
    return {
      problem: { at: "", text: `not JSON: ${error instanceof Error ? error.message : String(error)}` },
    }
  }
  if (typeof json === "object" && json !== null && !Array.isArray(json))
    return { json: json as Record<string, unknown> }
  const what = json === null ? "null" : Array.isArray(json) ? "an array" : `a ${typeof json}`
  return { problem: { at: "", text: `a scenario is a JSON object ({ … }), not ${what}` } }
}

/** The scenario's kind: its `kind`, or issuance when absent (the first scenario format had none). */
export const kindOf = (json: Readonly<Record<string, unknown>>): ScenarioKind | Problem => {
  const kind = json.kind
  if (kind === undefined) return "issuance"
  if (typeof kind === "string" && (SCENARIO_KINDS as ReadonlyArray<string>).includes(kind))
    return kind as ScenarioKind
  const near = typeof kind === "string" ? nearestName(kind, SCENARIO_KINDS) : null
  return {
    at: pathText(["kind"]),
    text: `unknown scenario kind ${JSON.stringify(kind)}${near === null ? "" : `; did you mean "${near}"?`} (kinds: ${SCENARIO_KINDS.join(", ")})`,
  }
}

/** The flags written into the JSON, or the problems of flags this kind has no field for. */
const applyOverrides = (
  kind: ScenarioKind,
  json: Readonly<Record<string, unknown>>,
  overrides: RunOverrides,
): { json: Record<string, unknown>; problems: Problem[] } => {
  const out: Record<string, unknown> = { ...json }
  const problems: Problem[] = []
  for (const flag of FLAGS) {
    const value = overrides[flag]
    if (value === undefined) continue
    if (flag !== "seed" && kind !== "pilot")
      problems.push({
        at: flagText(flag),
        text: `applies to pilot scenarios only; this is a ${kind} scenario`,
      })
    else if (flag === "byteLevel") out.fidelity = { byteLevelFraction: value }
    else out[FLAG_FIELDS[flag]] = value
  }
  return { json: out, problems }
}

/** A problem at an overridden field is the flag's problem: it says `--scale`, not `["scaleFactor"]`. */
const relabel = (problem: Problem, overrides: RunOverrides): Problem => {
  for (const flag of FLAGS) {
    const path = flag === "byteLevel" ? pathText([...BYTE_LEVEL_PATH]) : pathText([FLAG_FIELDS[flag]])
    if (overrides[flag] !== undefined && problem.at === path)
      return { at: flagText(flag), text: `${problem.text} (given ${JSON.stringify(overrides[flag])})` }
  }
  return problem
}

const decodeKind = (kind: ScenarioKind, json: unknown) =>
  kind === "pilot"
    ? decodePilotScenario(json)
    : kind === "money"
      ? decodeMoneyScenario(json)
      : decodeIssuanceScenario(json)

/** Reads, parses and checks one scenario file with the run flags applied; every problem at once. */
export const loadScenarioSync = (path: string, overrides: RunOverrides = {}): LoadedScenario | BadInput => {
  const fail = (problems: ReadonlyArray<Problem>) =>
    new BadInput({ reason: "invalid-scenario", subject: path, problems })
  const text = readScenarioText(path)
  if (typeof text !== "string")
    return new BadInput({ reason: "unreadable-file", subject: path, problems: [text] })
  const parsed = parseScenarioJson(text)
  if ("problem" in parsed) return fail([parsed.problem])
  const kind = kindOf(parsed.json)
  if (typeof kind !== "string") return fail([kind])
  const { json, problems } = applyOverrides(kind, parsed.json, overrides)
  const decoded = decodeKind(kind, json)
  const all = [...problems, ...(decoded.ok ? [] : decoded.problems.map((p) => relabel(p, overrides)))]
  if (!decoded.ok || all.length > 0) return fail(all)
  const title = typeof json.title === "string" ? json.title : TITLES[kind]
  return { path, text, json, kind, name: decoded.value.name, title, seed: decoded.value.seed }
}

/** `loadScenarioSync` as an Effect failing with BadInput (exit 2 through app/run/exit.ts). */
export const loadScenario = (
  path: string,
  overrides: RunOverrides = {},
): Effect.Effect<LoadedScenario, BadInput> =>
  Effect.suspend(() => {
    const loaded = loadScenarioSync(path, overrides)
    return loaded instanceof BadInput ? Effect.fail(loaded) : Effect.succeed(loaded)
  })
