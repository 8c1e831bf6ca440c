/**
 * bench:pilot — the pilot as planned (scenarios/04-pilot-plan.json, 1 % byte-level) at 0.1× and
 * 1×: wall time, peak RSS, events/s, crypto operation counts, bytes per issued card and the growth
 * from 0.1× to 1×, printed beside the DESIGN.md §5 budgets (figures, never timed assertions).
 * Each scale runs in its own child process so peak RSS belongs to that run alone.
 * `npm run bench:pilot -- 0.1` runs one scale.
 */
import { execFileSync } from "node:child_process"
import { readFileSync } from "node:fs"
import { fileURLToPath } from "node:url"
import { nativeCrypto } from "../model/crypto/native-crypto.ts"
import { runPilot } from "../model/world/pilot/pilot-run.ts"
import { decodePilotScenario } from "../model/world/pilot/pilot-scenario.ts"

const one = (scale: number): void => {
  const text = readFileSync(new URL("../scenarios/04-pilot-plan.json", import.meta.url), "utf8")
  const d = decodePilotScenario(JSON.parse(text))
  if (!d.ok) throw new Error(d.message)
  const heapBefore = process.memoryUsage().heapUsed
  const t0 = process.hrtime.bigint()
  const s = runPilot({
    scenario: d.value,
    population: d.population,
    scale,
    seed: d.value.seed,
    crypto: nativeCrypto,
  })
  const wallS = Number(process.hrtime.bigint() - t0) / 1e9
  globalThis.gc?.()
  const w = s.world
  const heapAfter = process.memoryUsage().heapUsed
  const cards = w.totals.cards + w.totals.reissued
  const violations = Object.values(s.invariants).reduce((n, c) => n + c.violations, 0)
  console.log(
    JSON.stringify({
      scale,
      wallS,
      peakRssMiB: process.resourceUsage().maxRSS / 1024,
      events: w.kernel.eventsProcessed,
      eventsPerS: w.kernel.eventsProcessed / wallS,
      users: w.population.market.marketUsers,
      cards,
      transactions: w.totals.transactions,
      byteLevelCards: w.cards.tally.issued,
      byteLevelTransactions: w.cards.tally.transactions,
      crypto: w.cryptoCounts,
      retainedBytesPerIssuedCard:
        (heapAfter - heapBefore + w.run.bytesPerUser() * w.population.market.marketUsers) / cards,
      violations,
    }),
  )
}

const main = (): void => {
  const arg = process.argv[2]
  if (arg !== undefined) {
    one(Number(arg))
    return
  }
  const self = fileURLToPath(import.meta.url)
  const rows = [0.1, 1].map((scale) => {
    const out = execFileSync(process.execPath, ["--expose-gc", "--import", "tsx", self, String(scale)], {
      encoding: "utf8",
      maxBuffer: 1 << 24,
    })
    const row = JSON.parse(out.trim().split("\n").at(-1)!)
    console.log(
      `scale ${scale}: ${row.wallS.toFixed(1)} s wall, peak RSS ${row.peakRssMiB.toFixed(0)} MiB, ${(row.eventsPerS / 1e6).toFixed(2)} M events/s, ${row.cards} cards (${row.byteLevelCards} byte-level), ${row.transactions} transactions (${row.byteLevelTransactions} byte-level), SM2 sign ${row.crypto.sm2Sign} verify ${row.crypto.sm2Verify}, block-cipher calls ${row.crypto.blockEcb + row.crypto.blockCbc}, ≈${Math.round(row.retainedBytesPerIssuedCard)} B retained per issued card, ${row.violations} violations`,
    )
    return row
  })
  const [small, full] = rows
  const growth = full.wallS / small.wallS / 10
  console.log(
    `budget: 1 % byte-level at 1× ≤ 180 s → ${full.wallS.toFixed(1)} s (${full.wallS <= 180 ? "within" : "OVER"})`,
  )
  console.log(
    `budget: ≤ 1 KiB per issued card → ${Math.round(full.retainedBytesPerIssuedCard)} B (${full.retainedBytesPerIssuedCard <= 1024 ? "within" : "OVER"})`,
  )
  console.log(
    `budget: linear growth within 15 % → wall(1×)/(10 × wall(0.1×)) = ${growth.toFixed(2)} (${Math.abs(growth - 1) <= 0.15 ? "within" : "OUTSIDE"})`,
  )
}

main()
