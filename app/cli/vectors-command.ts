/**
 * `tsm-twin vectors <dir>`: checks the twin's crypto against a directory of vector files in the
 * format of vectors/README.md, on both crypto layers — for example vectors exported from a bank's
 * own HSM. Exit code 0 when every vector passes, 1 when any fails, 2 when the directory is unusable.
 */
import { Console, Effect } from "effect"
import { Argument, Command } from "effect/cli"
import { EXIT } from "../run/exit-codes.ts"
import { formatReport, runVectors } from "../vectors/run-vectors.ts"
import { loadVectorDirectory } from "../vectors/vector-directory.ts"

export const vectorsCommand = Command.make(
  "vectors",
  {
    dir: Argument.String("dir").pipe(
      Argument.withDescription("a directory of <kind>.json vector files (format_version 1)"),
    ),
  },
  Effect.fn(function* ({ dir }) {
    const loaded = loadVectorDirectory(dir)
    if ("error" in loaded) {
      yield* Console.error(`tsm-twin vectors: ${loaded.error}`)
      process.exitCode = EXIT.badInput
      return
    }
    const report = runVectors(loaded)
    yield* Console.log(formatReport(report))
    const allPassed = report.fileProblems.length === 0 && report.outcomes.every((o) => o.outcome === "pass")
    process.exitCode = allPassed ? EXIT.ok : EXIT.checkFailed
  }),
).pipe(
  Command.withDescription("run every vector file of a directory against both crypto layers"),
  Command.withExamples([
    { command: "tsm-twin vectors test/vectors", description: "the published vectors the twin ships with" },
    { command: "tsm-twin vectors ./my-hsm-vectors", description: "your own vectors, same format" },
  ]),
)
