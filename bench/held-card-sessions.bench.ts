/**
 * What held cards' payment sessions leave to the old generation: 200 byte-level cards issued, then
 * 40 offline taps each (each rebuilds the card from its image, as the pilot does), with the old
 * space's growth over the taps, and the CPU per tap (process CPU, V8's helper threads included).
 * Measured on the shared 2-core machine (load ≈ 4): 49 MB of old-space growth while a per-call
 * hidden class (an object literal with a getter in applet-dispatch.ts) kept every session alive
 * until a full GC, 13 MB after; `node --trace-gc-nvp` summed 132 MB promoted before, 10.5 MB
 * after. The CPU per tap did not move at this heap size (268 and 284 µs): the old-generation
 * garbage costs in the pilot's larger heap, where V8's helper threads compete with both threads.
 * Run with `npx tsx bench/held-card-sessions.bench.ts [cards=200] [taps=40]`; a growth that
 * tracks the taps' allocation means sessions outlive their scavenges again.
 */
import { getHeapSpaceStatistics } from "node:v8"
import { nativeCrypto } from "../model/crypto/native-crypto.ts"
import { ByteLevelCards } from "../model/world/pilot/byte-level-cards.ts"
import { cpuNowUs, machine, printLine } from "./rounds.ts"

const usedBytes = (space: string): number =>
  getHeapSpaceStatistics().find((s) => s.space_name === space)?.space_used_size ?? 0

const main = (): void => {
  const cards = Number(process.argv[2] ?? "200")
  const taps = Number(process.argv[3] ?? "40")
  if (!(Number.isInteger(cards) && cards > 0 && Number.isInteger(taps) && taps > 0))
    throw new Error(
      `held-card-sessions: cards and taps are integers > 0, got ${process.argv.slice(2).join(" ")}`,
    )
  const world = new ByteLevelCards(nativeCrypto, 7)
  for (let user = 0; user < cards; user++) world.issue(user, 0)
  const old0 = usedBytes("old_space")
  const c0 = cpuNowUs()
  for (let round = 0; round < taps; round++)
    for (let user = 0; user < cards; user++)
      world.transact(user, "purchase-offline", 500 + round, "2015-03-01")
  const cpuUs = cpuNowUs() - c0
  const old1 = usedBytes("old_space")
  printLine({
    bench: "held-card-sessions",
    sessions: cards * taps,
    oldSpaceGrowthMB: Number(((old1 - old0) / 1e6).toFixed(1)),
    cpuUsPerSession: Math.round(cpuUs / (cards * taps)),
    violations: world.tally.violations.length,
    ...machine(),
  })
}

main()
