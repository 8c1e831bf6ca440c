/**
 * `npm run bench:pilot`: the pilot as planned (scenarios/04-pilot-plan.json, its default
 * fidelity) at 0.1×, 0.3×, 1× and 3×, on the threads `tsm-twin run` uses by default (the
 * machine's cores, app/run/thread-count.ts; `--threads N` to choose), each scale in its own child
 * process started with --expose-gc, so that its peak RSS and heap readings belong to that run
 * alone. Figures, never timed assertions; every DESIGN.md §5 line it can judge is printed with
 * met/missed.
 *
 * What is measured, and how:
 * - Time: wall seconds of the run (what a user waits for, and what the 1× ≤ 3 min line judges),
 *   with the load average before and after it (on a shared machine wall time includes other
 *   people's work) and the CPU seconds beside it: the process's (all threads), the kernel's
 *   thread's, the byte plane's worker's (issuance-plane.ts) and the rest (V8's helper threads).
 *   Linearity (§5: cost growth from 0.1× to 3× linear within 15 %) is the process's CPU seconds
 *   per scale unit at each scale over that at the smallest: the work done, whatever the split
 *   between threads and whatever the load (wall growth is printed beside it).
 * - Memory from the heap, never computed from array sizes: after a double GC, the kernel thread's
 *   heap used + array buffers (where the world, the users' typed arrays and the held cards live:
 *   a worker's cards come back with their jobs' results), over a baseline taken with a tiny world
 *   already built (so process-wide caches are not counted). Per background (non-adopting) user:
 *   the world as built at time zero (every user present, no card issued yet) over its users, and
 *   the marginal bytes per user between the smallest and the largest scale (which cancels what
 *   does not grow with the population, such as the worker's claim slots). Per issued card: what
 *   the world gains over the run, over the cards issued (an upper bound: it also holds the daily
 *   rows and whatever else a run accumulates). The worker's own heap (its runner's caches) is
 *   printed after the run, garbage included; peak RSS covers every thread.
 *
 * `npm run bench:pilot -- 0.1 0.3 [--threads N]` runs the scales named; `-- --one 0.1 N` is the
 * child's entry. The pilot is driven through its public run pieces (startPilot, pilotBoundary:
 * runPilot's own loop); a figure a future pilot no longer reports prints as null instead of
 * stopping the benchmark.
 */
import { execFileSync } from "node:child_process"
import { readFileSync } from "node:fs"
import { fileURLToPath } from "node:url"
import { THREADS_DEFAULT, THREADS_MAX } from "../app/run/thread-count.ts"
import { nativeCrypto } from "../model/crypto/native-crypto.ts"
import { pilotBoundary, startPilot } from "../model/world/pilot/pilot-run.ts"
import { decodePilotScenario } from "../model/world/pilot/pilot-scenario.ts"
import { US_PER_DAY } from "../sim/kernel/time.ts"
import { cpuNowUs, machine } from "./rounds.ts"

const SCALES_DEFAULT = [0.1, 0.3, 1, 3]
/** The warm-up world's scale: big enough to build every cache, small enough to cost nothing. */
const WARM_SCALE = 0.001
/** DESIGN.md §5 budgets this benchmark can judge. */
const BUDGET_WALL_S_AT_1X = 180
const BUDGET_RSS_MIB_AT_1X = 2048
const BUDGET_BYTES_PER_CARD = 1024
const BUDGET_BYTES_PER_BACKGROUND_USER = 64
const BUDGET_LINEARITY = 0.15

interface Row {
  readonly scale: number
  readonly threads: number
  readonly wallS: number
  /** Building the world (time zero) before the run, wall s: the CLI's run pays it too. */
  readonly buildWallS: number
  /** CPU of the whole process (all threads). */
  readonly cpuS: number
  /** CPU of the kernel's thread alone. */
  readonly kernelThreadCpuS: number
  /** CPU of the byte plane's worker thread alone (0 on one thread). */
  readonly workerCpuS: number
  /** Issuance jobs run on the kernel's thread and on the worker; the kernel's sleeps waiting for one. */
  readonly jobs: { readonly here: number; readonly worker: number; readonly waits: number } | null
  readonly loadAvgBefore: number[]
  readonly loadAvgAfter: number[]
  readonly peakRssMiB: number
  readonly events: number | null
  readonly users: number | null
  readonly cards: number | null
  readonly byteLevelCards: number | null
  readonly transactions: number | null
  readonly worldAtZeroBytes: number
  readonly retainedAfterRunBytes: number
  /** The worker's used heap after the run, garbage included (0 on one thread; null unanswered). */
  readonly workerHeapMiB: number | null
  /** The most envelopes the run-wide replay memory held at once (cross-job-replays.ts). */
  readonly replayEntriesPeak: number | null
  readonly digest: string | null
  readonly violations: number | null
}

const heapBytes = (): number => {
  const collect = (globalThis as { gc?: () => void }).gc
  if (collect === undefined) throw new Error("the pilot benchmark's child needs --expose-gc")
  collect()
  collect()
  const m = process.memoryUsage()
  return m.heapUsed + m.arrayBuffers
}

/** A value at a path of the run's state, or null when the pilot no longer has it there. */
const valueAt = (root: unknown, path: string): unknown => {
  let at: unknown = root
  for (const key of path.split(".")) {
    if (at === null || typeof at !== "object") return null
    at = (at as Record<string, unknown>)[key]
  }
  return at
}

const numberAt = (root: unknown, path: string): number | null => {
  const at = valueAt(root, path)
  return typeof at === "number" && Number.isFinite(at) ? at : null
}

const threadCpuS = (): number => {
  const t = process.threadCpuUsage()
  return (t.user + t.system) / 1e6
}

/**
 * `promise`'s value, or null after `ms` or on failure. The timer also keeps the event loop alive
 * meanwhile: the byte plane's worker is unref'd, so a wait on it alone would end the process.
 */
const settledWithin = <T>(promise: Promise<T>, ms: number): Promise<T | null> =>
  new Promise((resolve) => {
    const timer = setTimeout(() => resolve(null), ms)
    promise.then(
      (value) => {
        clearTimeout(timer)
        resolve(value)
      },
      () => {
        clearTimeout(timer)
        resolve(null)
      },
    )
  })

const one = async (scale: number, threads: number): Promise<Row> => {
  const text = readFileSync(new URL("../scenarios/04-pilot-plan.json", import.meta.url), "utf8")
  const d = decodePilotScenario(JSON.parse(text))
  if (!d.ok) throw new Error(d.message)
  const options = {
    scenario: d.value,
    population: d.population,
    scale,
    seed: d.value.seed,
    crypto: nativeCrypto,
    threads,
  }
  // A tiny world first, on one thread, kept alive, so that what any build fills for the whole
  // process (SM2 tables, cipher schedules, compiled code) is in the baseline and not counted as
  // this world's.
  const warm = startPilot({ ...options, scale: WARM_SCALE, threads: 1 })
  const base = heapBytes()
  const build0 = performance.now()
  // As the CLI does: the worker (when there is one) loads while the kernel starts, unwaited.
  const start = startPilot(options)
  const buildWallS = (performance.now() - build0) / 1000
  const worldAtZeroBytes = heapBytes() - base
  const users = numberAt(start.state.world, "population.market.marketUsers")
  const loadAvgBefore = machine().loadAvg
  const wall0 = performance.now()
  const cpu0 = cpuNowUs()
  const kernel0 = threadCpuS()
  // runPilot's loop on this start (the same public pieces the CLI and the viewer pace).
  const boundary = pilotBoundary(start)
  const kernel = start.state.world.kernel
  boundary(0)
  for (let day = 1; day <= start.days; day++) {
    kernel.run(day * US_PER_DAY)
    boundary(day * US_PER_DAY)
  }
  const state = start.state
  const wallS = (performance.now() - wall0) / 1000
  const cpuS = (cpuNowUs() - cpu0) / 1e6
  const kernelThreadCpuS = threadCpuS() - kernel0
  const loadAvgAfter = machine().loadAvg
  const retainedAfterRunBytes = heapBytes() - base
  if (warm.days <= 0) throw new Error("the warm-up world has no days")
  const w = state.world
  const jobs = w.issuanceJobs
  const workerHeap = await settledWithin(jobs.workerHeapBytes(), 30_000)
  const workerHeapMiB = workerHeap === null ? null : workerHeap / 2 ** 20
  jobs.close()
  const issued = numberAt(w, "totals.cards")
  const reissued = numberAt(w, "totals.reissued") ?? 0
  const ran = valueAt(jobs, "ran") as Row["jobs"]
  return {
    scale,
    threads,
    wallS,
    buildWallS,
    cpuS,
    kernelThreadCpuS,
    workerCpuS: numberAt(jobs, "workerCpuS") ?? 0,
    jobs: ran === null ? null : { ...ran },
    loadAvgBefore,
    loadAvgAfter,
    peakRssMiB: process.resourceUsage().maxRSS / 1024,
    events: numberAt(w, "kernel.eventsProcessed"),
    users,
    cards: issued === null ? null : issued + reissued,
    byteLevelCards: numberAt(w, "cards.tally.issued"),
    transactions: numberAt(w, "totals.transactions"),
    worldAtZeroBytes,
    retainedAfterRunBytes,
    workerHeapMiB,
    replayEntriesPeak: numberAt(jobs, "replays.entriesPeak"),
    digest: w.digest.hex(),
    violations: Object.values(state.invariants).reduce((n, c) => n + c.violations, 0),
  }
}

const verdict = (ok: boolean): "met" | "missed" => (ok ? "met" : "missed")
const print = (line: object): void => console.log(JSON.stringify(line))
const round = (x: number, digits = 2): number => Number(x.toFixed(digits))

const timeLines = (rows: Row[]): void => {
  const first = rows[0]!
  for (const row of rows) {
    const growth = row.cpuS / row.scale / (first.cpuS / first.scale)
    print({
      bench: "pilot",
      budget: `cost growth ${first.scale}× → ${row.scale}× linear within 15 % (process CPU s per scale unit ÷ that at ${first.scale}×)`,
      verdict: verdict(Math.abs(growth - 1) <= BUDGET_LINEARITY),
      ratio: round(growth),
      maximumDeviation: BUDGET_LINEARITY,
      wallGrowth: round(row.wallS / row.scale / (first.wallS / first.scale)),
      threads: row.threads,
    })
  }
  const at1 = rows.find((r) => r.scale === 1)
  if (at1 === undefined) {
    print({ bench: "pilot", budget: "1× lines", figure: "not run (1× not among the scales)" })
    return
  }
  print({
    bench: "pilot",
    budget: `default fidelity at 1× ≤ 3 min (wall seconds of the run on ${at1.threads} thread${at1.threads === 1 ? "" : "s"})`,
    verdict: verdict(at1.wallS <= BUDGET_WALL_S_AT_1X),
    figure: round(at1.wallS, 1),
    maximum: BUDGET_WALL_S_AT_1X,
    buildWallS: round(at1.buildWallS, 1),
    cpuS: {
      process: round(at1.cpuS, 1),
      kernelThread: round(at1.kernelThreadCpuS, 1),
      worker: round(at1.workerCpuS, 1),
    },
    loadAvg: [at1.loadAvgBefore, at1.loadAvgAfter],
  })
  print({
    bench: "pilot",
    budget: "default fidelity at 1× ≤ 2 GiB (peak RSS, every thread)",
    verdict: verdict(at1.peakRssMiB <= BUDGET_RSS_MIB_AT_1X),
    figure: Math.round(at1.peakRssMiB),
    maximum: BUDGET_RSS_MIB_AT_1X,
  })
}

const memoryLines = (rows: Row[]): void => {
  const first = rows[0]!
  const last = rows.at(-1)!
  const perUser = (r: Row): number | null => (r.users === null ? null : r.worldAtZeroBytes / r.users)
  const marginal =
    rows.length > 1 && first.users !== null && last.users !== null && last.users > first.users
      ? (last.worldAtZeroBytes - first.worldAtZeroBytes) / (last.users - first.users)
      : null
  const userFigure = marginal ?? perUser(last)
  print({
    bench: "pilot",
    budget:
      "≤ 64 B per background user (kernel thread's heap of the time-zero world, marginal between scales)",
    verdict: userFigure === null ? "not measured" : verdict(userFigure <= BUDGET_BYTES_PER_BACKGROUND_USER),
    figure: userFigure === null ? null : round(userFigure, 1),
    allInPerUserAtEachScale: rows.map((r) => [r.scale, perUser(r) === null ? null : round(perUser(r)!, 1)]),
    maximum: BUDGET_BYTES_PER_BACKGROUND_USER,
  })
  const perCard =
    last.cards === null || last.cards === 0
      ? null
      : (last.retainedAfterRunBytes - last.worldAtZeroBytes) / last.cards
  print({
    bench: "pilot",
    budget: `≤ 1 KiB per issued card (kernel thread's heap the run retains beyond the time-zero world ÷ cards, at ${last.scale}×)`,
    verdict: perCard === null ? "not measured" : verdict(perCard <= BUDGET_BYTES_PER_CARD),
    figure: perCard === null ? null : round(perCard, 1),
    maximum: BUDGET_BYTES_PER_CARD,
    workerHeapMiBAfterRun: last.workerHeapMiB === null ? null : round(last.workerHeapMiB, 1),
  })
}

/** Scales and `--threads N` from the command line; bad input: a message naming the argument. */
const parseArgs = (args: ReadonlyArray<string>): { scales: number[]; threads: number } | string => {
  const at = args.indexOf("--threads")
  const threads = at < 0 ? THREADS_DEFAULT : Number(args[at + 1])
  if (!(Number.isInteger(threads) && threads >= 1 && threads <= THREADS_MAX))
    return `--threads must be an integer in [1, ${THREADS_MAX}], got ${args[at + 1] ?? "nothing"}`
  const rest = at < 0 ? args : [...args.slice(0, at), ...args.slice(at + 2)]
  const scales = rest.length > 0 ? rest.map(Number) : SCALES_DEFAULT
  if (scales.some((s) => !(s > 0))) return `scales must be positive numbers, got ${rest.join(" ")}`
  return { scales, threads }
}

const main = async (): Promise<void> => {
  const args = process.argv.slice(2)
  if (args[0] === "--one") {
    print(await one(Number(args[1]), Number(args[2])))
    return
  }
  const parsed = parseArgs(args)
  if (typeof parsed === "string") {
    console.error(`bench:pilot: ${parsed}`)
    process.exitCode = 2
    return
  }
  const { scales, threads } = parsed
  const self = fileURLToPath(import.meta.url)
  const rows = scales.map((scale) => {
    const out = execFileSync(
      process.execPath,
      ["--expose-gc", "--import", "tsx", self, "--one", String(scale), String(threads)],
      { encoding: "utf8", maxBuffer: 1 << 24 },
    )
    const row = JSON.parse(out.trim().split("\n").at(-1)!) as Row
    print({
      bench: "pilot",
      ...row,
      eventsPerCpuS: row.events === null ? null : Math.round(row.events / row.cpuS),
    })
    return row
  })
  timeLines(rows)
  memoryLines(rows)
}

await main()
