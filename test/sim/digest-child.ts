/** A test fixture run in a separate process: prints the M/M/c digest for the seed in argv[2]. */
import { runMmc } from "./mmc-model.ts"

const seed = Number(process.argv[2])
const result = runMmc(seed, {
  servers: 4,
  rho: 0.8,
  serviceUsMean: 10_000,
  warmupUs: 1_000_000,
  measureUs: 20_000_000,
  digest: true,
})
process.stdout.write(`${result.digest}\n`)
