// Proves that `--help` is complete for every command (issue 11 §10): the root and each
// subcommand, nested ones included, render a description, and every flag and argument they list
// has a description of its own. The help is rendered in process by the CLI module from the same
// command tree main.ts runs (app/cli/commands.ts), so no command can be left out.
import { Console, Effect } from "effect"
import { Command } from "effect/cli"
import { describe, expect, it } from "vitest"
import { CLI_SERVICES, tsmTwin, VERSION } from "../../../app/cli/commands.ts"

const helpOf = async (path: ReadonlyArray<string>): Promise<string> => {
  const lines: string[] = []
  const capture = { ...globalThis.console, log: (...parts: unknown[]) => lines.push(parts.join(" ")) }
  await Effect.runPromise(
    Command.runWith(tsmTwin, { version: VERSION })([...path, "--help"]).pipe(
      Effect.provideService(Console.Console, capture as unknown as Console.Console),
      Effect.provide(CLI_SERVICES),
    ),
  )
  return lines.join("\n")
}

/** The lines of a section ("FLAGS", "ARGUMENTS", "SUBCOMMANDS") up to the next blank line. */
const section = (help: string, name: string): string[] => {
  const lines = help.split("\n")
  const at = lines.indexOf(name)
  if (at === -1) return []
  const end = lines.findIndex((l, i) => i > at && l.trim() === "")
  return lines.slice(at + 1, end === -1 ? undefined : end)
}

/** An entry whose description is missing has no second column: nothing after a gap of 2+ spaces. */
const undescribed = (entries: ReadonlyArray<string>): string[] =>
  entries.filter((l) => !/^\s+\S.*?\s{2,}\S/.test(l))

describe("tsm-twin --help", () => {
  it("describes every command, flag and argument", async () => {
    const root = await helpOf([])
    const commands = section(root, "SUBCOMMANDS").map((l) => l.trim().split(/\s+/)[0]!)
    expect(commands).toContain("run")
    expect(commands.length).toBeGreaterThanOrEqual(11)
    const paths: string[][] = commands.map((c) => [c])
    for (const c of commands) {
      const nested = section(await helpOf([c]), "SUBCOMMANDS").map((l) => l.trim().split(/\s+/)[0]!)
      paths.push(...nested.map((n) => [c, n]))
    }
    expect(paths).toContainEqual(["card", "serve"])
    for (const path of [[], ...paths]) {
      const help = await helpOf(path)
      const where = `tsm-twin ${path.join(" ")} --help`
      expect(section(help, "DESCRIPTION").join(" ").trim(), where).not.toBe("")
      expect(undescribed(section(help, "SUBCOMMANDS")), where).toEqual([])
      expect(undescribed(section(help, "FLAGS")), where).toEqual([])
      expect(undescribed(section(help, "ARGUMENTS")), where).toEqual([])
    }
  }, 120_000)

  it("finds an entry without a description (the check can fail)", () => {
    const help = "FLAGS\n  --port integer    TCP port\n  --host string\n"
    expect(undescribed(section(help, "FLAGS"))).toEqual(["  --host string"])
  })
})
