/**
 * The CLI's documented exit codes (README "Exit codes"). app/run/exit.ts is the only place that
 * chooses one; commands fail with the tagged errors of app/run/errors.ts instead.
 */
export const EXIT = {
  ok: 0,
  /** A check the user asked for failed: a reached phase target, an invariant, a vector. */
  checkFailed: 1,
  /** The input was unusable: bad usage, a missing file, a scenario or flag with errors. */
  badInput: 2,
  /** A bug in the twin (sysexits.h EX_SOFTWARE): one line on stderr, the trace in a crash file. */
  internalError: 70,
  /** Stopped by SIGINT (128 + 2), the shell's convention. */
  sigint: 130,
  /** Stopped by SIGTERM (128 + 15). */
  sigterm: 143,
} as const
