/**
 * The one place where a command's end becomes an exit code and a message (issue 11 "errors as
 * data"): 0 ok · 1 a check failed · 2 bad input or usage · 130/143 interrupted · 70 a bug. A user
 * error never shows a stack trace; a defect prints one line naming the bug and the path of a crash
 * file that holds the trace, so a user can attach it to a report without reading it.
 */
import { writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { Cause, Effect, Runtime } from "effect"
import { CliError } from "effect/cli"
import { BadInput, CheckFailed, Interrupted, type Problem } from "./errors.ts"
import { EXIT } from "./exit-codes.ts"

/** What the process says and returns at its end; `text` goes to stderr, null = nothing to add. */
export interface ExitVerdict {
  readonly code: number
  readonly text: string | null
}

/** The problems of one input as indented lines, each with the path or flag it is at. */
export const formatProblems = (subject: string, problems: ReadonlyArray<Problem>): string => {
  const noun = problems.length === 1 ? "error" : "errors"
  const lines = problems.map((p) => (p.at === "" ? `  - ${p.text}` : `  - at ${p.at}: ${p.text}`))
  return [`${subject}: ${problems.length} ${noun}`, ...lines].join("\n")
}

/** Writes the defect's trace to a crash file; returns its path (or why it could not be written). */
export type CrashWriter = (trace: string) => string

const crashFileWriter: CrashWriter = (trace) => {
  // Wall-clock time is fine here: the control plane names the file, the data plane never sees it.
  const path = join(tmpdir(), `tsm-twin-crash-${process.pid}-${Date.now()}.txt`)
  try {
    writeFileSync(path, `tsm-twin ${process.argv.slice(2).join(" ")}\n\n${trace}\n`)
    return path
  } catch (error) {
    return `(no crash file: ${error instanceof Error ? error.message : String(error)})`
  }
}

const defectVerdict = (defect: unknown, writeCrash: CrashWriter): ExitVerdict => {
  const name = defect instanceof Error ? `${defect.name}: ${defect.message.split("\n")[0]}` : String(defect)
  const trace = defect instanceof Error ? (defect.stack ?? name) : name
  return {
    code: EXIT.internalError,
    text: `tsm-twin: internal error (a bug in the twin, not in your input): ${name}; the trace is in ${writeCrash(trace)}`,
  }
}

/** The verdict for one failure value (the `E` of a command, or what the CLI module failed with). */
const failureVerdict = (error: unknown, writeCrash: CrashWriter): ExitVerdict => {
  if (error instanceof BadInput)
    return { code: EXIT.badInput, text: formatProblems(error.subject, error.problems) }
  if (error instanceof CheckFailed) return { code: EXIT.checkFailed, text: error.summary }
  if (error instanceof Interrupted)
    return {
      code: error.signal === "SIGTERM" ? EXIT.sigterm : EXIT.sigint,
      text: `tsm-twin: stopped by ${error.signal}`,
    }
  // The CLI module has already printed what was wrong with the command line (and the help).
  if (CliError.isCliError(error)) return { code: EXIT.badInput, text: null }
  return defectVerdict(error, writeCrash)
}

/** Maps how a command ended to its exit code and final message. */
export const verdictOf = (
  cause: Cause.Cause<unknown>,
  writeCrash: CrashWriter = crashFileWriter,
): ExitVerdict => {
  const failure = cause.reasons.find(Cause.isFailReason)
  if (failure !== undefined) return failureVerdict(failure.error, writeCrash)
  const defect = cause.reasons.find(Cause.isDieReason)
  if (defect !== undefined) return defectVerdict(defect.defect, writeCrash)
  return { code: EXIT.sigint, text: null }
}

/** The failure runMain's default teardown reads the exit code from; its message is already out. */
export interface Exited {
  readonly [Runtime.errorExitCode]: number
  readonly [Runtime.errorReported]: false
}

const exited = (code: number): Exited => ({ [Runtime.errorExitCode]: code, [Runtime.errorReported]: false })

/**
 * Wraps the whole program: prints the verdict of any failure once, and fails with a value that
 * carries only the exit code, so `NodeRuntime.runMain` neither logs a cause nor picks its own code.
 */
export const withExitCodes = <A, E, R>(program: Effect.Effect<A, E, R>): Effect.Effect<A, Exited, R> =>
  program.pipe(
    Effect.catchCause((cause) =>
      Effect.suspend(() => {
        const verdict = verdictOf(cause)
        if (verdict.text !== null) process.stderr.write(`${verdict.text}\n`)
        return Effect.fail(exited(verdict.code))
      }),
    ),
  )
