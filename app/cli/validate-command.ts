/** `tsm-twin validate <file>...`: checks scenario files; every error with its JSON path; exit 2 on any bad file. */
import { Console, Effect } from "effect"
import { Argument, Command } from "effect/cli"
import { EXIT } from "../run/exit-codes.ts"
import { checkScenarioFile } from "./scenario-check.ts"

export const validateCommand = Command.make(
  "validate",
  {
    files: Argument.String("scenario").pipe(
      Argument.atLeast(1),
      Argument.withDescription("scenario JSON files"),
    ),
  },
  Effect.fn(function* ({ files }) {
    let bad = 0
    for (const file of files) {
      const c = checkScenarioFile(file)
      if (c.ok) yield* Console.log(`${file}: valid ${c.kind} scenario "${c.name}"`)
      else {
        bad++
        yield* Console.error(`${file}: invalid\n${c.message}`)
      }
    }
    if (bad > 0) process.exitCode = EXIT.badInput
  }),
).pipe(Command.withDescription("Check scenario files without running them (exit 2 when any has errors)."))
