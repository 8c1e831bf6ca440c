/**
 * bench:full-fidelity — the pilot with every user byte-level (issue 17 "Must show"): scenario 04
 * at `--byte-level 1` run in a child per thread count (started with --expose-gc, so its heap
 * readings are its own), then these lines with "met"/"missed":
 * - retained per byte-level card ≤ 1 KiB: JS heap + array buffers after a double GC with every
 *   held card, minus the same after dropping them, ÷ cards held (measured, not computed);
 * - wall time extrapolated to 1× ≤ 3× its crypto floor: the run's own operation counts × the
 *   native per-operation CPU costs measured here as bench:crypto measures them (one SM2 sign with
 *   a fresh k, one SM2 verify under a repeated key, SM3 of 64 B, one 3DES ECB block, 32 B of 3DES
 *   CBC), both printed;
 * - same digest on every thread count, and threads 2 ≥ 1.6× faster than threads 1 (wall; the
 *   load average is printed: on a shared machine the ratio is only as good as the quiet).
 * `npm run bench:full-fidelity -- [scale=0.01] [threads=1,2] [until=YYYY-MM-DD]`;
 * `-- --one scale threads [until]` is the child's entry.
 */
import { execFileSync } from "node:child_process"
import { readFileSync } from "node:fs"
import { fileURLToPath } from "node:url"
import { nativeCrypto } from "../model/crypto/native-crypto.ts"
import { SM2P256V1 } from "../model/crypto/sm2/curve.ts"
import { SM2_DEFAULT_USER_ID } from "../model/crypto/sm2/sm2.ts"
import type { CryptoCounts } from "../model/world/pilot/counting-crypto.ts"
import { runPilot } from "../model/world/pilot/pilot-run.ts"
import { decodePilotScenario } from "../model/world/pilot/pilot-scenario.ts"
import { cpuNowUs, machine, printLine } from "./rounds.ts"

interface Row {
  readonly scale: number
  readonly threads: number
  readonly wallS: number
  readonly cpuS: number
  /** CPU of the kernel's thread alone; cpuS − mainCpuS is the worker's and V8's helper threads'. */
  readonly mainCpuS: number
  /** CPU of the byte plane's worker thread alone (0 on one thread). */
  readonly workerCpuS: number
  /** Issuance jobs run on the kernel's thread and on the worker; the kernel's sleeps waiting for one. */
  readonly jobs: { readonly here: number; readonly worker: number; readonly waits: number }
  /** First cards' jobs posted ahead of their orders: used, and dropped (not the order's inputs). */
  readonly ahead: { readonly used: number; readonly dropped: number }
  readonly digest: string
  readonly cardsIssued: number
  readonly cardsHeld: number
  readonly transactions: number
  readonly apdus: number
  readonly violations: number
  readonly retainedBytesPerCard: number
  readonly crypto: CryptoCounts
  readonly loadAvg: number[]
}

const heapNow = (): number => {
  const collect = (globalThis as { gc?: () => void }).gc
  if (collect === undefined) throw new Error("bench:full-fidelity's child needs --expose-gc")
  collect()
  collect()
  const m = process.memoryUsage()
  return m.heapUsed + m.arrayBuffers
}

const one = (scale: number, threads: number, until: string | undefined): Row => {
  const text = readFileSync(new URL("../scenarios/04-pilot-plan.json", import.meta.url), "utf8")
  const d = decodePilotScenario(JSON.parse(text))
  if (!d.ok) throw new Error(d.message)
  const t0 = process.hrtime.bigint()
  const c0 = cpuNowUs()
  const m0 = process.threadCpuUsage()
  const s = runPilot({
    scenario: { ...d.value, fidelity: { byteLevelFraction: 1 } },
    population: d.population,
    scale,
    seed: d.value.seed,
    crypto: nativeCrypto,
    threads,
    ...(until === undefined ? {} : { untilDate: until }),
  })
  const cpuS = (cpuNowUs() - c0) / 1e6
  const m = process.threadCpuUsage(m0)
  const mainCpuS = (m.user + m.system) / 1e6
  const wallS = Number(process.hrtime.bigint() - t0) / 1e9
  const w = s.world
  const held = w.cards.held
  const withCards = heapNow()
  w.cards.dropAll()
  const without = heapNow()
  return {
    scale,
    threads,
    wallS,
    cpuS,
    mainCpuS,
    workerCpuS: w.issuanceJobs.workerCpuS,
    jobs: { ...w.issuanceJobs.ran },
    ahead: { ...w.issuanceJobs.aheadCounts },
    digest: w.digest.hex(),
    cardsIssued: w.cards.tally.issued,
    cardsHeld: held,
    transactions: w.cards.tally.transactions,
    apdus: w.cards.tally.apdus,
    violations: s.violations.length,
    retainedBytesPerCard: Math.round((withCards - without) / Math.max(1, held)),
    crypto: { ...w.cryptoCounts },
    loadAvg: machine().loadAvg,
  }
}

/** CPU µs per call of `op`, after a warm-up, over at least `budgetMs` of CPU time. */
const cpuUsPerOp = (op: () => unknown, budgetMs = 400): number => {
  for (let i = 0; i < 50; i++) op()
  let n = 0
  const start = cpuNowUs()
  while (cpuNowUs() - start < budgetMs * 1000) {
    for (let i = 0; i < 20; i++) op()
    n += 20
  }
  return (cpuNowUs() - start) / n
}

const bytes = (length: number, seed: number): Uint8Array =>
  Uint8Array.from({ length }, (_, i) => (i * 131 + seed * 17 + 7) & 0xff)

/** Native per-operation CPU costs, µs, for each counted operation (counting-crypto.ts). */
const perOpUs = (): Record<keyof CryptoCounts, number> => {
  const c = nativeCrypto
  const d = 0x3945208f7b2144b13f36e38ac6d39f95889393692860b51a42fb81ef4df7c5b8n
  const msg = bytes(64, 3)
  const key16 = bytes(16, 1)
  let k = 0x1234567n
  const publicKey = c.sm2.publicKeyOf(SM2P256V1, d)
  const signature = c.sm2.sign(SM2P256V1, d, SM2_DEFAULT_USER_ID, msg, 0x5151n)!
  const iv = new Uint8Array(8)
  return {
    sm2Sign: cpuUsPerOp(() => {
      k += 0x9e3779b97f4a7c15n
      return c.sm2.sign(SM2P256V1, d, SM2_DEFAULT_USER_ID, msg, k)
    }),
    sm2Verify: cpuUsPerOp(() => c.sm2.verify(SM2P256V1, publicKey, SM2_DEFAULT_USER_ID, msg, signature)),
    sm3: cpuUsPerOp(() => c.sm3(msg)),
    hmacSm3: cpuUsPerOp(() => c.hmacSm3(key16, msg)),
    blockEcb: cpuUsPerOp(() => c.encryptEcb("TDES", key16, msg.subarray(0, 8))),
    blockCbc: cpuUsPerOp(() => c.encryptCbc("TDES", key16, iv, msg.subarray(0, 32))),
  }
}

const line = (budget: string, met: boolean, figures: Record<string, unknown>): void =>
  printLine({ bench: "full-fidelity", budget, verdict: met ? "met" : "missed", ...figures, ...machine() })

const budgets = (rows: ReadonlyArray<Row>, costs: Record<keyof CryptoCounts, number>): void => {
  for (const r of rows) {
    line("retained per byte-level card ≤ 1 KiB", r.retainedBytesPerCard <= 1024, {
      threads: r.threads,
      retainedBytesPerCard: r.retainedBytesPerCard,
      cardsHeld: r.cardsHeld,
    })
    const floorS = (Object.keys(costs) as (keyof CryptoCounts)[]).reduce(
      (sum, op) => sum + (r.crypto[op] * costs[op]) / 1e6,
      0,
    )
    line("wall extrapolated to 1× ≤ 3× its crypto floor", r.wallS <= 3 * floorS, {
      threads: r.threads,
      scale: r.scale,
      wallS: Number(r.wallS.toFixed(1)),
      cpuS: Number(r.cpuS.toFixed(1)),
      floorS: Number(floorS.toFixed(1)),
      ratio: Number((r.wallS / floorS).toFixed(2)),
      wall1xMin: Math.round(r.wallS / r.scale / 60),
      floor1xMin: Math.round(floorS / r.scale / 60),
    })
  }
  const base = rows.find((r) => r.threads === 1)
  const two = rows.find((r) => r.threads === 2)
  if (base === undefined || two === undefined) return
  line(
    "same digest on 1 and 2 threads",
    rows.every((r) => r.digest === base.digest),
    {
      digests: rows.map((r) => `${r.threads}: ${r.digest}`),
    },
  )
  const speedUp = base.wallS / two.wallS
  const r1 = (x: number) => Number(x.toFixed(1))
  // What the split allows on two free cores: one thread's CPU over the least wall two threads can
  // take — the busier of the two threads, or half of all the CPU (V8's helper threads included).
  const helpersS = two.cpuS - two.mainCpuS - two.workerCpuS
  line("2 threads ≥ 1.6× faster than 1 (wall)", speedUp >= 1.6, {
    speedUp: Number(speedUp.toFixed(2)),
    wallS: [r1(base.wallS), r1(two.wallS)],
    cpuS: [r1(base.cpuS), r1(two.cpuS)],
    twoThreadsCpuS: { kernelThread: r1(two.mainCpuS), worker: r1(two.workerCpuS), v8Helpers: r1(helpersS) },
    jobs: two.jobs,
    criticalPathSpeedUp: Number(
      (base.cpuS / Math.max(two.mainCpuS, two.workerCpuS, two.cpuS / 2)).toFixed(2),
    ),
    loadAvgDuring: [base.loadAvg, two.loadAvg],
  })
}

const main = (): void => {
  const args = process.argv.slice(2)
  if (args[0] === "--one") {
    printLine(one(Number(args[1]), Number(args[2]), args[3]) as unknown as Record<string, unknown>)
    return
  }
  const scale = Number(args[0] ?? "0.01")
  const threads = (args[1] ?? "1,2").split(",").map(Number)
  const until = args[2]
  if (!(scale > 0) || threads.some((t) => !Number.isInteger(t) || t < 1))
    throw new Error(`bench:full-fidelity: scale > 0 and threads integers ≥ 1, got ${args.join(" ")}`)
  const costs = perOpUs()
  printLine({ bench: "full-fidelity", op: "native CPU µs per operation", ...costs, ...machine() })
  const self = fileURLToPath(import.meta.url)
  const rows = threads.map((t) => {
    const childArgs = ["--expose-gc", "--import", "tsx", self, "--one", String(scale), String(t)]
    const out = execFileSync(process.execPath, until === undefined ? childArgs : [...childArgs, until], {
      encoding: "utf8",
      maxBuffer: 1 << 24,
    })
    const row = JSON.parse(out.trim().split("\n").at(-1)!) as Row
    printLine({ bench: "full-fidelity", ...row })
    return row
  })
  budgets(rows, costs)
}

main()
