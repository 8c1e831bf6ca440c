/** The CLI's documented exit codes (README "Exit codes"). */
export const EXIT = {
  ok: 0,
  /** A check the user asked for failed: a vector, a target, an invariant. */
  checkFailed: 1,
  /** The input was unusable: bad usage, a missing file, a scenario with errors. */
  badInput: 2,
  /** Stopped by SIGINT (128 + 2, the shell's convention); the run folder says "interrupted". */
  interrupted: 130,
  /** Stopped by SIGTERM (128 + 15). */
  terminated: 143,
} as const
