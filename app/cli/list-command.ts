/** `tsm-twin list`: the numbered scenario library (scenarios/NN-*.json) with kind and title, like a tutorial's contents. */
import { readdirSync } from "node:fs"
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"
import { Console, Effect } from "effect"
import { Command } from "effect/cli"
import { BadInput } from "../run/errors.ts"
import { loadScenarioSync } from "../run/scenario-input.ts"

export const LIBRARY_FOLDER = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "scenarios")

export const libraryFiles = (): string[] =>
  readdirSync(LIBRARY_FOLDER)
    .filter((f) => /^\d\d-.*\.json$/.test(f))
    .sort()
    .map((f) => join(LIBRARY_FOLDER, f))

export const listCommand = Command.make(
  "list",
  {},
  Effect.fn(function* () {
    for (const file of libraryFiles()) {
      const c = loadScenarioSync(file)
      const name = file.slice(LIBRARY_FOLDER.length + 1)
      const first = c instanceof BadInput ? c.problems[0] : undefined
      yield* Console.log(
        c instanceof BadInput
          ? `${name.padEnd(30)} INVALID   ${first === undefined ? "" : `${first.at} ${first.text}`}`
          : `${name.padEnd(30)} ${c.kind.padEnd(9)} ${c.title}`,
      )
    }
  }),
).pipe(
  Command.withDescription(
    "List the numbered scenario library with each scenario's kind and title (an invalid one shows its first error).",
  ),
)
