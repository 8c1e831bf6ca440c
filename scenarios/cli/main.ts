/**
 * The `tsm-twin` command line. Each subcommand lives in its own file beside this one; this file
 * only dispatches, so `--help` stays the single list of what the twin can do.
 */
const HELP = `tsm-twin — a digital twin of the Guiyang mobile-finance pilot (2014-08 → 2017-07)

Usage: tsm-twin <command> [options]

Commands:
  vectors <dir>     run every test-vector file in <dir> against both crypto layers
  help              show this help

Exit codes: 0 success, 1 a check failed, 2 bad input or usage.`

const main = async (argv: ReadonlyArray<string>): Promise<number> => {
  const [command, ...rest] = argv
  switch (command) {
    case undefined:
    case "help":
    case "--help":
    case "-h":
      process.stdout.write(`${HELP}\n`)
      return 0
    default:
      process.stderr.write(`tsm-twin: unknown command ${JSON.stringify(command)} (see tsm-twin --help)\n`)
      void rest
      return 2
  }
}

process.exitCode = await main(process.argv.slice(2))
