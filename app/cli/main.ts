/**
 * The `tsm-twin` command line: the control plane's entry (DESIGN.md §2). Each subcommand lives in
 * its own file beside this one; this file only composes them, so `--help` is the single list of
 * what the twin can do.
 */
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import * as NodeServices from "@effect/platform-node/NodeServices"
import { Effect } from "effect"
import { Command } from "effect/cli"
import { withExitCodes } from "../run/exit.ts"
import { signalTeardown, trackSignals } from "../run/signal-exit.ts"
import { cardCommand } from "./card-command.ts"
import { cardDemoCommand } from "./card-demo-command.ts"
import { listCommand } from "./list-command.ts"
import { replayCommand } from "./replay-command.ts"
import { runCommand } from "./run-command.ts"
import { runnerCommand } from "./runner-command.ts"
import { schemaCommand } from "./schema-command.ts"
import { sweepCommand } from "./sweep-command.ts"
import { validateCommand } from "./validate-command.ts"
import { vectorsCommand } from "./vectors-command.ts"
import { viewCommand } from "./view-command.ts"

const root = Command.make("tsm-twin").pipe(
  Command.withDescription(
    "A digital twin of the Guiyang mobile-finance pilot (2014-08 → 2017-07), with real APDUs and real crypto.\n" +
      "Exit codes: 0 success, 1 a check failed (a reached phase target, an invariant, a vector), 2 bad input or usage,\n" +
      "130/143 stopped by SIGINT/SIGTERM, 70 an internal error (the message names a crash file).",
  ),
  Command.withSubcommands([
    vectorsCommand,
    cardDemoCommand,
    cardCommand,
    runCommand,
    sweepCommand,
    runnerCommand,
    viewCommand,
    replayCommand,
    validateCommand,
    listCommand,
    schemaCommand,
  ]),
)

trackSignals()
root.pipe(
  Command.run({ version: "0.1.0" }),
  // Every failure, a usage error of the CLI module included, gets its exit code and message in
  // one place (app/run/exit.ts); runMain only carries the code out.
  withExitCodes,
  Effect.provide(NodeServices.layer),
  // SIGINT/SIGTERM interrupt the command's fiber (a run stops between chunks and finishes its
  // folder as "interrupted"); the process then exits 130 or 143.
  NodeRuntime.runMain({ teardown: signalTeardown }),
)
