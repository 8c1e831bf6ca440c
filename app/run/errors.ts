/**
 * The control plane's failures as data (STYLE.md "Effect v4": errors as schema-defined tagged
 * classes grouped by a `reason` union per area). A command fails with one of these instead of
 * setting an exit code or returning `{ ok: false, message }`; app/run/exit.ts is the one place that
 * turns them into a message and an exit code. Everything else that escapes is a defect (a bug).
 */
import { Schema } from "effect"

/**
 * One thing wrong with an input: where (a JSON path such as `["capacity"]["mtps"]["servers"]`, a
 * flag such as `--scale`, or a file) and what was expected there.
 */
export const Problem = Schema.Struct({
  /** The JSON path, flag or file the problem is at; "" for the input as a whole. */
  at: Schema.String,
  /** What is wrong, as a sentence a user can act on. */
  text: Schema.String,
})
export type Problem = typeof Problem.Type

/** The input was unusable: bad usage or flags, an unreadable file, a scenario with errors. Exit 2. */
export class BadInput extends Schema.TaggedError<BadInput>()("BadInput", {
  reason: Schema.Literals([
    "usage",
    "unreadable-file",
    "invalid-scenario",
    "invalid-flag",
    "invalid-vectors",
  ]),
  /** The file or command the problems belong to, named first in the message. */
  subject: Schema.String,
  /** Every problem found, all of them at once (never only the first). */
  problems: Schema.Array(Problem),
}) {}

/** A check the user asked for failed: a reached phase target, an invariant, a vector, a story. Exit 1. */
export class CheckFailed extends Schema.TaggedError<CheckFailed>()("CheckFailed", {
  reason: Schema.Literals(["target-missed", "invariant-violated", "vector-failed", "story-failed"]),
  /** One line on what failed and where the details are (the run folder, the table above). */
  summary: Schema.String,
}) {}

/**
 * The run was stopped by a signal. Exit 128 + the signal's number (130 for SIGINT, 143 for
 * SIGTERM), the shell's convention, so `$?` says which signal ended it.
 */
export class Interrupted extends Schema.TaggedError<Interrupted>()("Interrupted", {
  signal: Schema.Literals(["SIGINT", "SIGTERM"]),
}) {}

export type ControlPlaneError = BadInput | CheckFailed | Interrupted

/** Shorthand for the common case: one problem with one input. */
export const badInput = (
  reason: BadInput["reason"],
  subject: string,
  problems: ReadonlyArray<Problem>,
): BadInput => new BadInput({ reason, subject, problems })
