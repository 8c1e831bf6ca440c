/**
 * `tsm-twin vectors <dir>`: checks the twin's crypto against a directory of vector files in the
 * format of vectors/README.md, on both crypto layers — for example vectors exported from a bank's
 * own HSM. Exit code 0 when every vector passes, 1 when any fails, 2 when the directory is unusable.
 */
import { Console, Effect } from "effect"
import { Argument, Command } from "effect/cli"
import { BadInput, CheckFailed } from "../run/errors.ts"
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
    if ("error" in loaded)
      return yield* new BadInput({
        reason: "invalid-vectors",
        subject: `tsm-twin vectors ${dir}`,
        problems: [{ at: "", text: loaded.error }],
      })
    const report = runVectors(loaded)
    yield* Console.log(formatReport(report))
    const failed = report.fileProblems.length + report.outcomes.filter((o) => o.outcome !== "pass").length
    if (failed > 0)
      return yield* new CheckFailed({
        reason: "vector-failed",
        summary: `tsm-twin vectors: ${failed} vectors or files did not pass (listed above)`,
      })
  }),
).pipe(
  Command.withDescription(
    "Run every vector file of a directory against both crypto layers (exit 1 when any vector fails).",
  ),
  Command.withExamples([
    { command: "tsm-twin vectors test/vectors", description: "the published vectors the twin ships with" },
    { command: "tsm-twin vectors ./my-hsm-vectors", description: "your own vectors, same format" },
  ]),
)
