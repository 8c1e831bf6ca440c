/**
 * `npm start`: the pilot as planned (scenarios/04-pilot-plan.json) at a scale that finishes in
 * about a minute on a 2-core machine, its phase-target table, and the command for full scale.
 */
import { readFileSync } from "node:fs"
import { dirname, join, relative } from "node:path"
import { fileURLToPath } from "node:url"
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import { Effect } from "effect"
import { EXIT } from "../run/exit-codes.ts"
import { runPilotCommand } from "../run/pilot-command.ts"
import { signalTeardown, trackSignals } from "../run/signal-exit.ts"

/** A fifth of Guiyang: ~880,000 users, about a minute here (0.1 took 30 s); targets scale with it. */
const START_SCALE = 0.2
const scenarioPath = join(
  dirname(fileURLToPath(import.meta.url)),
  "..",
  "..",
  "scenarios",
  "04-pilot-plan.json",
)
const text = readFileSync(scenarioPath, "utf8")
const out = join("out", "runs", "04-pilot-plan-start")
const shown = relative(process.cwd(), scenarioPath)
process.stdout.write(
  `tsm-twin: the Guiyang mobile-finance pilot 2014-08 → 2017-07, ${shown} at scale ${START_SCALE}\n`,
)
const program = Effect.gen(function* () {
  const result = yield* runPilotCommand({
    json: JSON.parse(text),
    text,
    out,
    seed: null,
    scale: START_SCALE,
    untilDate: null,
    progress: process.stderr,
  })
  if (!result.ok) {
    process.stderr.write(`${result.message}\n`)
    process.exitCode = EXIT.badInput
    return
  }
  process.stdout.write(`\n${result.table}\n\n${result.line}\n`)
  process.stdout.write(
    `\nReport: ${join(out, "report.html")}\nFull scale (4.4 M users, 1 % byte-level): npx tsm-twin run ${shown} --scale 1 --out out/runs/04-pilot-plan\n` +
      `Every scenario: npx tsm-twin list · the CLI: npx tsm-twin --help\n`,
  )
  if (result.violations > 0) process.exitCode = EXIT.checkFailed
})

// Ctrl-C stops the run between chunks, finishes the folder as "interrupted" and exits 130.
trackSignals()
NodeRuntime.runMain(program, { teardown: signalTeardown })
