/**
 * How every scenario kind reports what is wrong with a file (issue 11 "validation, complete"):
 * a list of problems, each at a JSON path, all of them at once. The Schema decodes closed objects
 * (an unknown key is an error, with "did you mean …" for a near miss), and the semantic checks
 * (horizons, phase order, min ≤ max) run in the same pass on whatever fields did decode, so a
 * file with five errors gets five messages, not the first two.
 */
import { Schema, SchemaIssue } from "effect"

/** One thing wrong: the JSON path it is at (`["capacity"]["mtps"]["servers"]`) and what is wrong. */
export interface ScenarioProblem {
  readonly at: string
  readonly text: string
}

export type ScenarioDecoded<A> =
  | { readonly ok: true; readonly value: A }
  | { readonly ok: false; readonly problems: ReadonlyArray<ScenarioProblem> }

/** A scenario that did not decode: its problems, and the same as text (one "… at path" per problem). */
export interface ScenarioFailure {
  readonly ok: false
  readonly problems: ReadonlyArray<ScenarioProblem>
  readonly message: string
}

export const scenarioFailure = (problems: ReadonlyArray<ScenarioProblem>): ScenarioFailure => ({
  ok: false,
  problems,
  message: problems.map((p) => (p.at === "" ? p.text : `${p.text}\n  at ${p.at}`)).join("\n"),
})

/** The JSON path in the Schema's own notation: `["phases"][0]["endDate"]`. */
export const pathText = (path: ReadonlyArray<PropertyKey>): string =>
  path.map((k) => (typeof k === "number" ? `[${k}]` : `[${JSON.stringify(String(k))}]`)).join("")

/**
 * Edit distance with adjacent transpositions (optimal string alignment): insertions, deletions,
 * substitutions and swaps of two neighbours cost one each, so `usres` is one edit from `users`.
 */
const editDistance = (a: string, b: string): number => {
  const d = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  )
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost)
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        best = Math.min(best, d[i - 2]![j - 2]! + 1)
      d[i]![j] = best
    }
  return d[a.length]![b.length]!
}

/**
 * The known name a misspelling most likely meant: same letters ignoring case, or within about
 * one edit per three letters (`capacty` → `capacity`, `servrs` → `servers`); null when none is near.
 */
export const nearestName = (word: string, known: ReadonlyArray<string>): string | null => {
  let best: string | null = null
  let bestDistance = Math.max(1, Math.floor(word.length / 3)) + 1
  for (const name of known) {
    const d = name.toLowerCase() === word.toLowerCase() ? 0 : editDistance(word, name)
    if (d < bestDistance) [best, bestDistance] = [name, d]
  }
  return best
}

const formatter = SchemaIssue.makeFormatterStandardSchemaV1()

const unknownKey = (path: ReadonlyArray<PropertyKey>, ast: unknown): ScenarioProblem => {
  const key = String(path.at(-1))
  const known =
    typeof ast === "object" && ast !== null && "propertySignatures" in ast
      ? (ast.propertySignatures as ReadonlyArray<{ name: PropertyKey }>).map((p) => String(p.name))
      : []
  const near = nearestName(key, known)
  const hint = near === null ? `known keys here: ${known.join(", ")}` : `did you mean "${near}"?`
  return { at: pathText(path), text: `unknown key "${key}"; ${hint}` }
}

/** Flattens a Schema issue tree into problems, naming near misses of unknown keys. */
export const problemsOfIssue = (
  issue: SchemaIssue.Issue,
  path: ReadonlyArray<PropertyKey> = [],
): ScenarioProblem[] => {
  switch (issue._tag) {
    case "Pointer":
      return problemsOfIssue(issue.issue, [...path, ...issue.path])
    case "Composite":
      return issue.issues.flatMap((i) => problemsOfIssue(i, path))
    case "UnexpectedKey":
      return [unknownKey(path, issue.ast)]
    case "MissingKey":
      return [{ at: pathText(path), text: "missing key" }]
    default:
      return formatter(issue).issues.map((i) => ({
        at: pathText([...path, ...(i.path ?? []).map((k) => (typeof k === "object" ? k.key : k))]),
        text: i.message,
      }))
  }
}

/** Decodes with closed objects and every error collected; the problems name their paths. */
export const decodeStrict = <S extends Schema.Top>(schema: S, input: unknown): ScenarioDecoded<S["Type"]> => {
  const result = Schema.decodeUnknownExit(schema as unknown as Schema.Codec<S["Type"], unknown>)(input, {
    errors: "all",
    onExcessProperty: "error",
  })
  if (result._tag === "Success") return { ok: true, value: result.value }
  const issue = result.cause.reasons.find((r) => r._tag === "Fail")
  if (issue === undefined || !Schema.isSchemaError(issue.error)) throw result.cause
  return { ok: false, problems: problemsOfIssue(issue.error.issue) }
}

/**
 * The top-level fields of `input` that decode on their own: what the semantic checks may look at
 * when the file as a whole has errors elsewhere.
 */
export const decodeFieldwise = <F extends Schema.Struct.Fields>(
  struct: Schema.Struct<F>,
  input: unknown,
): Partial<Schema.Struct<F>["Type"]> => {
  const partial: Record<string, unknown> = {}
  if (typeof input !== "object" || input === null || Array.isArray(input)) return {}
  for (const [key, field] of Object.entries(struct.fields)) {
    if (!(key in input)) continue
    const value = (input as Record<string, unknown>)[key]
    const one = decodeStrict(field as Schema.Top, value)
    // A nested object with an error somewhere keeps its good parts (capacity.telcoOta stays
    // checkable when capacity.mtps has a typo): the partial is deep, its type shallow.
    if (one.ok) partial[key] = one.value
    else if (Schema.isSchema(field) && "fields" in field)
      partial[key] = decodeFieldwise(field as unknown as Schema.Struct<Schema.Struct.Fields>, value)
  }
  return partial as unknown as Partial<Schema.Struct<F>["Type"]>
}
