/**
 * The `tsm-twin` command line: the control plane's entry (DESIGN.md §2). Each subcommand lives in
 * its own file beside this one; this file only composes them, so `--help` is the single list of
 * what the twin can do.
 */
import { NodeRuntime, NodeServices } from "@effect/platform-node"
import { Effect } from "effect"
import { Command } from "effect/cli"
import { EXIT } from "../run/exit-codes.ts"
import { cardDemoCommand } from "./card-demo-command.ts"
import { listCommand } from "./list-command.ts"
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
      "Exit codes: 0 success, 1 a check failed, 2 bad input or usage.",
  ),
  Command.withSubcommands([
    vectorsCommand,
    cardDemoCommand,
    runCommand,
    sweepCommand,
    runnerCommand,
    viewCommand,
    validateCommand,
    listCommand,
    schemaCommand,
  ]),
)

root.pipe(
  Command.run({ version: "0.1.0" }),
  // The CLI module has already printed what was wrong with the command line; usage errors get
  // exit code 2 so scripts can tell them from failed checks (exit 1).
  Effect.catch(() =>
    Effect.sync(() => {
      process.exitCode = EXIT.badInput
    }),
  ),
  Effect.provide(NodeServices.layer),
  NodeRuntime.runMain,
)
