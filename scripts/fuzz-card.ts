/**
 * `npm run fuzz:card -- --cases 1000000 [--seed N]`: the card robustness property of
 * scripts/card-fuzz.ts at a scale the suite cannot afford. Prints the seed first (TigerBeetle's
 * VOPR habit), progress every 100,000 cases, and a summary; exits 1 on a violation, printing the
 * seed, the failing bytes and the command that reproduces it, 2 on bad arguments.
 */
import { randomInt } from "node:crypto"
import { performance } from "node:perf_hooks"
import { parseArgs } from "node:util"
import { toHex } from "../model/bytes/hex.ts"
import { fuzzCard } from "./card-fuzz.ts"

const usage = "usage: npm run fuzz:card -- [--cases N (default 1000000)] [--seed N (default random)]"

const parse = (): { cases: number; seed: number } | string => {
  try {
    const { values } = parseArgs({ options: { cases: { type: "string" }, seed: { type: "string" } } })
    const cases = Number(values.cases ?? "1000000")
    const seed = values.seed === undefined ? randomInt(0, 2 ** 31 - 1) : Number(values.seed)
    if (!Number.isSafeInteger(cases) || cases < 1)
      return `--cases must be a positive integer, not ${values.cases}`
    if (!Number.isSafeInteger(seed) || seed < -(2 ** 31) || seed >= 2 ** 31)
      return `--seed must be a 32-bit integer, not ${values.seed}`
    return { cases, seed }
  } catch (error) {
    return error instanceof Error ? error.message : String(error)
  }
}

const options = parse()
if (typeof options === "string") {
  process.stderr.write(`fuzz:card: ${options}\n${usage}\n`)
  process.exit(2)
}
const { cases, seed } = options
process.stdout.write(`fuzz:card seed=${seed} cases=${cases}\n`)
const start = performance.now()
const rate = (n: number) => Math.round(n / ((performance.now() - start) / 1000))
const summary = fuzzCard({
  cases,
  seed,
  onProgress: (done) =>
    process.stdout.write(
      `  ${done.toLocaleString("en")} cases, ${rate(done).toLocaleString("en")} cases/s\n`,
    ),
})
const seconds = ((performance.now() - start) / 1000).toFixed(1)
process.stdout.write(
  `fuzz:card ${summary.cases.toLocaleString("en")} cases, ${summary.commands.toLocaleString("en")} commands ` +
    `in ${seconds} s (${rate(summary.cases).toLocaleString("en")} cases/s): ${summary.failure === null ? "no violation" : "VIOLATION"}\n`,
)
if (summary.failure !== null) {
  const { failure } = summary
  process.stdout.write(
    `seed=${seed} case=${summary.cases} reset=${failure.case.reset}\n` +
      failure.case.commands.map((c, i) => `  ${i === failure.index ? ">" : " "} ${toHex(c)}\n`).join("") +
      `reason: ${failure.reason}\nreproduce: npm run fuzz:card -- --cases ${summary.cases} --seed ${seed}\n`,
  )
  process.exitCode = 1
}
