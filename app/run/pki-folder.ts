/**
 * Writes a run's `pki/` folder (DESIGN.md §4 "Outputs") from the pure file map that
 * model/host/pki/pki-files.ts computes; the model never touches the file system.
 */
import { mkdirSync, writeFileSync } from "node:fs"
import { basename, join } from "node:path"

/** Creates `<outputDir>/pki` and writes each file; returns the paths written, in map order. */
export const writePkiFolder = (
  outputDir: string,
  files: ReadonlyMap<string, string>,
): ReadonlyArray<string> => {
  const folder = join(outputDir, "pki")
  mkdirSync(folder, { recursive: true })
  const written: string[] = []
  for (const [name, text] of files) {
    // A name with a directory part would escape the folder; the model's ids never produce one.
    if (basename(name) !== name || !name.endsWith(".pem"))
      throw new Error(`refusing to write pki file "${name}"`)
    const path = join(folder, name)
    writeFileSync(path, text)
    written.push(path)
  }
  return written
}
