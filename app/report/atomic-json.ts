/**
 * Writes JSON so a reader never sees half a file: write a sibling `.tmp`, then rename over the
 * target (rename is atomic within a file system). A run killed between the two leaves the previous
 * complete snapshot in place (DESIGN.md §4: a killed run leaves readable results).
 */
import { renameSync, writeFileSync } from "node:fs"

export const writeJsonAtomically = (path: string, value: unknown): void => {
  writeTextAtomically(path, `${JSON.stringify(value, jsonReplacer, 2)}\n`)
}

export const writeTextAtomically = (path: string, text: string): void => {
  writeFileSync(`${path}.tmp`, text)
  renameSync(`${path}.tmp`, path)
}

/** JSON has no NaN or Infinity; they become null rather than failing or lying. */
const jsonReplacer = (_key: string, value: unknown): unknown =>
  typeof value === "number" && !Number.isFinite(value) ? null : value
