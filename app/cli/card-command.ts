/**
 * `tsm-twin card …`: the twin's secure elements and host side on real PC/SC tools — `serve` puts a
 * twin card behind vpcd, `personalize` and `pay` drive a card in any PC/SC reader.
 */
import { Command } from "effect/cli"
import { cardPayCommand, cardPersonalizeCommand } from "./card-reader-commands.ts"
import { cardServeCommand } from "./card-serve-command.ts"

export const cardCommand = Command.make("card").pipe(
  Command.withDescription(
    "twin cards on PC/SC: serve one behind vpcd, personalize or pay on a card in a reader",
  ),
  Command.withSubcommands([cardServeCommand, cardPersonalizeCommand, cardPayCommand]),
)
