/**
 * Exit codes for runs stopped by a signal. Effect's NodeRuntime.runMain interrupts the main fiber
 * on SIGINT and SIGTERM alike and its default teardown exits 130 for any interruption; shells and
 * supervisors tell the two apart by 128 + the signal's number, so this remembers which signal came
 * and maps an interruption to 130 (SIGINT) or 143 (SIGTERM). Other exits keep the default codes.
 */
import { Cause, Exit, Runtime } from "effect"
import { EXIT } from "./exit-codes.ts"

let lastSignal: "SIGINT" | "SIGTERM" | null = null
const onSigint = () => {
  lastSignal = "SIGINT"
}
const onSigterm = () => {
  lastSignal = "SIGTERM"
}

/** Listens (beside runMain's own listeners) for which signal arrived; call once, before runMain. */
export const trackSignals = (): void => {
  process.on("SIGINT", onSigint)
  process.on("SIGTERM", onSigterm)
}

/** runMain's teardown: 143 for an interruption after SIGTERM, 130 after SIGINT, otherwise the default. */
export const signalTeardown: Runtime.Teardown = (exit, onExit) => {
  // A listener keeps Node from dying of the signal; once the program is over, the default is back.
  process.removeListener("SIGINT", onSigint)
  process.removeListener("SIGTERM", onSigterm)
  if (Exit.isFailure(exit) && Cause.hasInterruptsOnly(exit.cause))
    return onExit(lastSignal === "SIGTERM" ? EXIT.sigterm : EXIT.sigint)
  return Runtime.defaultTeardown(exit, onExit)
}
