/**
 * `tsm-twin validate <file>...`: checks scenario files of every kind without running them; every
 * error of every file with its JSON path (app/run/scenario-input.ts); exit 2 when any has errors.
 */
import { Console, Effect } from "effect"
import { Argument, Command } from "effect/cli"
import { BadInput } from "../run/errors.ts"
import { formatProblems } from "../run/exit.ts"
import { loadScenarioSync } from "../run/scenario-input.ts"

export const validateCommand = Command.make(
  "validate",
  {
    files: Argument.String("scenario").pipe(
      Argument.atLeast(1),
      Argument.withDescription("scenario JSON files (pilot, money or issuance)"),
    ),
  },
  Effect.fn(function* ({ files }) {
    const failed: BadInput[] = []
    for (const file of files) {
      const loaded = loadScenarioSync(file)
      if (loaded instanceof BadInput) failed.push(loaded)
      else yield* Console.log(`${file}: valid ${loaded.kind} scenario "${loaded.name}"`)
    }
    // One file's errors are the failure itself; several files' are printed here, file by file.
    if (failed.length === 1) return yield* failed[0]!
    for (const f of failed) yield* Console.error(formatProblems(f.subject, f.problems))
    if (failed.length > 1)
      return yield* new BadInput({
        reason: "invalid-scenario",
        subject: "tsm-twin validate",
        problems: [{ at: "", text: `${failed.length} of ${files.length} files have errors (listed above)` }],
      })
  }),
).pipe(
  Command.withDescription(
    "Check scenario files without running them: every error with its JSON path (exit 2 when any has errors).",
  ),
  Command.withExamples([{ command: "tsm-twin validate scenarios/*.json", description: "the whole library" }]),
)
