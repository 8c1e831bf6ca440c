/**
 * `--vary <json.path>=<v1,v2,...>`: which scenario field a sweep changes and to which values. The
 * path is dot-separated object keys and array indices (`mtpsServers`, `otaBearers.cmcc`,
 * `mtpsOutages.0.durationMinutes`); it must name a field the scenario already has, and every value
 * must have that field's JSON type (number, boolean or string), so a typo fails at once with the
 * path named instead of after an hour of runs. The kind's Schema then judges each grid point
 * (sweep-grid.ts), which catches values of the right type but out of range.
 */

export interface VarySpec {
  /** The path as the user wrote it; the column name in sweep.csv. */
  readonly path: string
  readonly keys: ReadonlyArray<string | number>
  readonly values: ReadonlyArray<number | boolean | string>
}

export type VaryParse =
  | { readonly ok: true; readonly spec: VarySpec }
  | { readonly ok: false; readonly message: string }

/** At most this many values per varied path (a bound: the grid is their product). */
export const VARY_VALUES_MAX = 64

const fail = (message: string): VaryParse => ({ ok: false, message })

const keysOf = (path: string): Array<string | number> =>
  path.split(".").map((k) => (/^(0|[1-9][0-9]*)$/.test(k) ? Number(k) : k))

/** The value at `keys`, or the first key that does not exist. */
export const lookUp = (
  json: unknown,
  keys: ReadonlyArray<string | number>,
): { readonly found: true; readonly value: unknown } | { readonly found: false; readonly at: string } => {
  let here: unknown = json
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i]!
    const exists =
      typeof k === "number"
        ? Array.isArray(here) && k < here.length
        : here !== null && typeof here === "object" && !Array.isArray(here) && Object.hasOwn(here, k)
    if (!exists) return { found: false, at: keys.slice(0, i + 1).join(".") }
    here = (here as Record<string | number, unknown>)[k]
  }
  return { found: true, value: here }
}

const parseValue = (text: string, like: unknown): number | boolean | string | null => {
  if (typeof like === "number") {
    const n = Number(text)
    return text.trim() !== "" && Number.isFinite(n) ? n : null
  }
  if (typeof like === "boolean") return text === "true" ? true : text === "false" ? false : null
  return typeof like === "string" ? text : null
}

export const parseVary = (argument: string, scenario: unknown): VaryParse => {
  const eq = argument.indexOf("=")
  if (eq <= 0) return fail(`--vary ${argument}: expected <json.path>=<v1,v2,...>`)
  const path = argument.slice(0, eq).trim()
  const texts = argument.slice(eq + 1).split(",")
  const keys = keysOf(path)
  if (keys.some((k) => k === "")) return fail(`--vary ${path}: empty key in the path`)
  const found = lookUp(scenario, keys)
  if (!found.found) return fail(`--vary ${path}: the scenario has no field ${found.at}`)
  const like = found.value
  if (typeof like !== "number" && typeof like !== "boolean" && typeof like !== "string")
    return fail(
      `--vary ${path}: the field is ${Array.isArray(like) ? "an array" : "an object"}, not a number, boolean or string`,
    )
  if (texts.length > VARY_VALUES_MAX) return fail(`--vary ${path}: more than ${VARY_VALUES_MAX} values`)
  const values: Array<number | boolean | string> = []
  for (const text of texts) {
    const v = parseValue(text.trim(), like)
    if (v === null) return fail(`--vary ${path}: "${text}" is not a ${typeof like} (the field's type)`)
    values.push(v)
  }
  if (new Set(values).size !== values.length) return fail(`--vary ${path}: a value is repeated`)
  return { ok: true, spec: { path, keys, values } }
}

/** A copy of `json` with the value at `keys` replaced (the path must exist: parseVary checked). */
export const withValue = (json: unknown, keys: ReadonlyArray<string | number>, value: unknown): unknown => {
  const copy = structuredClone(json)
  let here = copy as Record<string | number, unknown>
  for (const k of keys.slice(0, -1)) here = here[k] as Record<string | number, unknown>
  here[keys.at(-1)!] = value
  return copy
}
