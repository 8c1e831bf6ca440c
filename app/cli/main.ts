/**
 * The `tsm-twin` command line: the control plane's entry (DESIGN.md §2). Each subcommand lives in
 * its own file beside this one, composed in commands.ts; this file only runs the tree with its
 * exit codes, the Node services and the signal teardown.
 */
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import { Effect } from "effect"
import { Command } from "effect/cli"
import { withExitCodes } from "../run/exit.ts"
import { signalTeardown, trackSignals } from "../run/signal-exit.ts"
import { CLI_SERVICES, tsmTwin, VERSION } from "./commands.ts"

trackSignals()
tsmTwin.pipe(
  Command.run({ version: VERSION }),
  // Every failure, a usage error of the CLI module included, gets its exit code and message in
  // one place (app/run/exit.ts); runMain only carries the code out.
  withExitCodes,
  Effect.provide(CLI_SERVICES),
  // SIGINT/SIGTERM interrupt the command's fiber (a run stops between chunks and finishes its
  // folder as "interrupted"); the process then exits 130 or 143.
  NodeRuntime.runMain({ teardown: signalTeardown }),
)
