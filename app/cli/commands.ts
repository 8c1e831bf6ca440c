/**
 * The `tsm-twin` command tree: every subcommand, composed once, so that `--help` is the single
 * list of what the twin can do (main.ts runs it; the help test renders every command's help).
 */
import * as NodeServices from "@effect/platform-node/NodeServices"
import { Command } from "effect/cli"
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

export const tsmTwin = Command.make("tsm-twin").pipe(
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

export const VERSION = "0.1.0"

/**
 * The Node services the CLI module needs (file system, path, terminal, child processes). They come
 * from app/node_modules (app/package.json), which only modules under app/ resolve, so tests take
 * them from here.
 */
export const CLI_SERVICES = NodeServices.layer
