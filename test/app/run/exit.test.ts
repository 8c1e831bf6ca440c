/**
 * Proves the one mapping from how a command ended to its exit code and message: each tagged
 * error to its code, the CLI module's own usage errors to 2, interruption to 130/143, and a defect
 * to one line that names the bug and a crash file holding the trace (never the trace itself).
 */
import { readFileSync, unlinkSync } from "node:fs"
import { type Cause, Effect, Exit } from "effect"
import { CliError } from "effect/cli"
import { describe, expect, it } from "vitest"
import { BadInput, CheckFailed, Interrupted } from "../../../app/run/errors.ts"
import { verdictOf } from "../../../app/run/exit.ts"
import { EXIT } from "../../../app/run/exit-codes.ts"

const causeOf = <E>(effect: Effect.Effect<unknown, E>): Cause.Cause<E> => {
  const exit = Effect.runSyncExit(effect)
  if (Exit.isSuccess(exit)) throw new Error("expected a failure")
  return exit.cause
}

const noCrash = () => {
  throw new Error("no crash file is written for a user error")
}

describe("exit verdicts", () => {
  it("bad input exits 2 with every problem at its path", () => {
    const error = new BadInput({
      reason: "invalid-scenario",
      subject: "x.json",
      problems: [
        { at: '["a"]', text: "missing key" },
        { at: "--scale", text: "Expected a value greater than 0 (given 0)" },
      ],
    })
    expect(verdictOf(causeOf(Effect.fail(error)), noCrash)).toEqual({
      code: EXIT.badInput,
      text: 'x.json: 2 errors\n  - at ["a"]: missing key\n  - at --scale: Expected a value greater than 0 (given 0)',
    })
  })

  it("a failed check exits 1, interruption 130 or 143", () => {
    const check = new CheckFailed({ reason: "target-missed", summary: "3 targets missed" })
    expect(verdictOf(causeOf(Effect.fail(check)), noCrash)).toEqual({ code: 1, text: "3 targets missed" })
    const sigterm = new Interrupted({ signal: "SIGTERM" })
    expect(verdictOf(causeOf(Effect.fail(sigterm)), noCrash).code).toBe(143)
    expect(verdictOf(causeOf(Effect.fail(new Interrupted({ signal: "SIGINT" }))), noCrash).code).toBe(130)
    expect(verdictOf(causeOf(Effect.interrupt), noCrash)).toEqual({ code: 130, text: null })
  })

  it("a usage error of the CLI module exits 2 without a second message", () => {
    const usage = new CliError.UnrecognizedOption({ option: "--bogus", suggestions: [] })
    expect(verdictOf(causeOf(Effect.fail(usage)), noCrash)).toEqual({ code: EXIT.badInput, text: null })
  })

  it("a defect prints one line naming the bug and a crash file; the trace is in the file only", () => {
    const written: string[] = []
    const crashWriter = (trace: string) => {
      written.push(trace)
      return "/tmp/crash-file.txt"
    }
    const bug = new TypeError("cannot read properties of undefined (reading 'x')")
    const verdict = verdictOf(causeOf(Effect.die(bug)), crashWriter)
    expect(verdict.code).toBe(EXIT.internalError)
    expect(verdict.text).toBe(
      "tsm-twin: internal error (a bug in the twin, not in your input): TypeError: cannot read properties of undefined (reading 'x'); the trace is in /tmp/crash-file.txt",
    )
    expect(verdict.text).not.toContain("\n")
    expect(written[0]).toContain("exit.test.ts")
    // An unexpected failure value (a thrown non-tagged error) is a defect too.
    expect(verdictOf(causeOf(Effect.fail(new Error("boom"))), crashWriter).code).toBe(EXIT.internalError)
  })

  it("the default crash writer puts the trace in a real file", () => {
    const verdict = verdictOf(causeOf(Effect.die(new RangeError("no such date: 2015-02-30"))))
    const path = verdict.text?.split("the trace is in ")[1] ?? ""
    expect(readFileSync(path, "utf8")).toContain("RangeError: no such date: 2015-02-30\n    at ")
    unlinkSync(path)
  })
})
