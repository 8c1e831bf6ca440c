/**
 * Loads a directory of vector files (vectors/README.md, format_version 1). A file that cannot be
 * read or is not a vector file becomes a reported problem, never an exception: the runner goes on
 * with the other files.
 */
import { readdirSync, readFileSync, statSync } from "node:fs"
import { join } from "node:path"

export interface VectorFile {
  readonly file: string
  readonly kind: string
  readonly vectors: ReadonlyArray<Readonly<Record<string, unknown>>>
}

export interface DirectoryProblem {
  readonly file: string
  readonly message: string
}

export interface LoadedDirectory {
  readonly files: ReadonlyArray<VectorFile>
  readonly problems: ReadonlyArray<DirectoryProblem>
}

/** A bound on what one run reads, so a wrong path (say, a home directory) fails fast. */
const FILE_BYTES_MAX = 64 * 1024 * 1024

export const loadVectorDirectory = (dir: string): LoadedDirectory | { readonly error: string } => {
  let names: string[]
  try {
    if (!statSync(dir).isDirectory()) return { error: `${dir} is not a directory` }
    names = readdirSync(dir)
      .filter((n) => n.endsWith(".json"))
      .sort()
  } catch (cause) {
    return { error: `cannot read directory ${dir}: ${(cause as Error).message}` }
  }
  if (names.length === 0) return { error: `${dir} holds no .json vector files` }
  const files: VectorFile[] = []
  const problems: DirectoryProblem[] = []
  for (const name of names) {
    const loaded = loadFile(join(dir, name), name)
    if ("message" in loaded) problems.push(loaded)
    else files.push(loaded)
  }
  return { files, problems }
}

const loadFile = (path: string, file: string): VectorFile | DirectoryProblem => {
  let json: unknown
  try {
    if (statSync(path).size > FILE_BYTES_MAX) return { file, message: `larger than ${FILE_BYTES_MAX} bytes` }
    json = JSON.parse(readFileSync(path, "utf8"))
  } catch (cause) {
    return { file, message: `not readable JSON: ${(cause as Error).message}` }
  }
  if (typeof json !== "object" || json === null || Array.isArray(json)) {
    return { file, message: "expected a JSON object with kind, format_version and vectors" }
  }
  const record = json as Record<string, unknown>
  if (typeof record.kind !== "string") return { file, message: "field kind: expected a string" }
  if (record.format_version !== 1) {
    return { file, message: `field format_version: expected 1, got ${JSON.stringify(record.format_version)}` }
  }
  if (!Array.isArray(record.vectors)) return { file, message: "field vectors: expected an array" }
  const vectors = record.vectors.map((v: unknown) =>
    typeof v === "object" && v !== null && !Array.isArray(v)
      ? (v as Record<string, unknown>)
      : { _notAnObject: v },
  )
  return { file, kind: record.kind, vectors }
}
