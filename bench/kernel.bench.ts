/**
 * `npm run bench:kernel` (DESIGN.md §5): M/M/8 at ρ = 0.9 (bench/kernel-models.ts) on the raw
 * typed-array loop, the kernel's callbacks, callbacks with the SM3 event digest, generator
 * processes, and SimPy's generator processes (bench/peers/mmc_simpy2.py, a child process timing
 * itself with time.process_time); then the hold model with 1,000,000 pending events.
 *
 * Fairness (issue #17): every variant, the peer included, runs once untimed on a tenth of the
 * customers first; then ≥ 3 interleaved rounds, the order rotated each round, each figure in CPU
 * seconds of the process that ran it (median and range), with the load average beside it. The
 * like-for-like line is processes against SimPy's processes; callbacks against SimPy is a second
 * line (SimPy has no callback-only API with a Resource). The budget line is the DESIGN one:
 * callbacks ≥ 0.6× the raw loop in the same process; processes get the same minimum as this
 * bench's own line, printed beside the "generator floor" (the raw loop driving the same
 * generators, no kernel), which bounds what any generator-process API can reach.
 * `npm run bench:kernel -- hold` runs the hold model alone (it is run in its own process).
 */
import { execFileSync } from "node:child_process"
import { fileURLToPath } from "node:url"
import { Kernel } from "../sim/kernel/kernel.ts"
import { exponentialUs } from "../sim/rng/distributions.ts"
import { streamOf } from "../sim/rng/stream.ts"
import {
  generatorFloor,
  kernelCallbacks,
  kernelProcesses,
  type Outcome,
  RHO,
  rawLoop,
  SERVERS,
} from "./kernel-models.ts"
import { budgetLine, contextLine, cpuNowUs, type Figures, machine, median, printLine } from "./rounds.ts"

const CUSTOMERS = 1_000_000
/** SimPy serves ~0.1 M customers per CPU second here: a tenth of the customers keeps a round short. */
const PEER_CUSTOMERS = 100_000
const ROUNDS = 3
const PYTHON = "/usr/bin/python3"
const SIMPY_SCRIPT = fileURLToPath(new URL("./peers/mmc_simpy2.py", import.meta.url))

interface Run {
  readonly outcome: Outcome
  readonly cpuSeconds: number
  readonly wallSeconds: number
}

const timed = (f: () => Outcome): Run => {
  const wall0 = performance.now()
  const cpu0 = cpuNowUs()
  const outcome = f()
  return { outcome, cpuSeconds: (cpuNowUs() - cpu0) / 1e6, wallSeconds: (performance.now() - wall0) / 1000 }
}

/** SimPy in its own process; it times itself, so interpreter start-up is not counted. Null if absent. */
const simpy = (customers: number): Run | null => {
  try {
    const out = execFileSync(PYTHON, [SIMPY_SCRIPT, String(customers)], { encoding: "utf8" })
    const r = JSON.parse(out.trim())
    return {
      outcome: { customers: r.customers, waitUsMean: r.waitUsMean },
      cpuSeconds: r.cpuSeconds,
      wallSeconds: r.wallSeconds,
    }
  } catch {
    return null
  }
}

const variants: Record<string, (customers: number) => Run | null> = {
  raw: (c) => timed(() => rawLoop(c)),
  callbacks: (c) => timed(() => kernelCallbacks(false, c)),
  "callbacks+digest": (c) => timed(() => kernelCallbacks(true, c)),
  processes: (c) => timed(() => kernelProcesses(c)),
  "generator floor": (c) => timed(() => generatorFloor(c)),
  "SimPy 2.3 processes": (c) => simpy(Math.round((c * PEER_CUSTOMERS) / CUSTOMERS)),
}

const mmc = (): void => {
  const names = Object.keys(variants)
  const missing = new Set(names.filter((name) => variants[name]!(CUSTOMERS / 10) === null))
  const cpu: Record<string, number[]> = Object.fromEntries(names.map((name) => [name, []]))
  const wall: Record<string, number[]> = Object.fromEntries(names.map((name) => [name, []]))
  const waits: Record<string, number> = {}
  for (let r = 0; r < ROUNDS; r++) {
    for (let o = 0; o < names.length; o++) {
      const name = names[(o + r) % names.length]!
      if (missing.has(name)) continue
      const run = variants[name]!(CUSTOMERS)!
      cpu[name]!.push(run.outcome.customers / run.cpuSeconds)
      wall[name]!.push(run.outcome.customers / run.wallSeconds)
      waits[name] = run.outcome.waitUsMean
    }
  }
  const figures: Record<string, Figures> = {}
  for (const name of names) {
    if (missing.has(name)) {
      printLine({
        bench: "mmc",
        variant: name,
        figure: `not run: ${PYTHON} cannot import SimPy (apt-get install -y python3-simpy)`,
      })
      continue
    }
    figures[name] = { name, cpuOpsPerSec: cpu[name]!, wallOpsPerSec: wall[name]!, cpuSeconds: 0 }
    printLine({
      bench: "mmc",
      variant: name,
      servers: SERVERS,
      rho: RHO,
      customers: name.startsWith("SimPy") ? PEER_CUSTOMERS : CUSTOMERS,
      customersPerCpuSecMedian: Math.round(median(cpu[name]!)),
      customersPerCpuSecRange: [Math.round(Math.min(...cpu[name]!)), Math.round(Math.max(...cpu[name]!))],
      customersPerWallSecMedian: Math.round(median(wall[name]!)),
      waitUsMean: Math.round(waits[name]!),
      rounds: ROUNDS,
      ...machine(),
    })
  }
  printLine(
    budgetLine("mmc", "callbacks ≥ 0.6× raw loop (DESIGN.md §5)", figures.callbacks!, figures.raw!, 0.6),
  )
  printLine(
    budgetLine("mmc", "processes ≥ 0.6× raw loop (this bench's line)", figures.processes!, figures.raw!, 0.6),
  )
  // Context for the processes line: the raw loop driving the same generators directly is the
  // most any generator-process API can reach (kernel-models.ts `generatorFloor`).
  printLine(
    contextLine(
      "mmc",
      "generator floor ÷ raw loop: the most any generator-process API can reach",
      figures["generator floor"]!,
      figures.raw!,
    ),
  )
  printLine(
    contextLine(
      "mmc",
      "processes ÷ generator floor: what the process API itself costs",
      figures.processes!,
      figures["generator floor"]!,
    ),
  )
  const peer = figures["SimPy 2.3 processes"]
  if (peer !== undefined) {
    // DESIGN.md §5 sets no minimum against SimPy; 1 means "not slower than the peer".
    printLine(
      budgetLine(
        "mmc",
        "processes vs SimPy processes (like for like; no DESIGN minimum)",
        figures.processes!,
        peer,
        1,
      ),
    )
    printLine(
      budgetLine(
        "mmc",
        "callbacks vs SimPy processes (second line; no DESIGN minimum)",
        figures.callbacks!,
        peer,
        1,
      ),
    )
  }
  // The SM3 event digest's cost per processed event (two events per customer), from CPU medians.
  const plain = median(cpu.callbacks!)
  const digested = median(cpu["callbacks+digest"]!)
  printLine({
    bench: "digest",
    slowdown: Number((plain / digested).toFixed(3)),
    cpuNsPerEvent: Number((((1 / digested - 1 / plain) / 2) * 1e9).toFixed(1)),
  })
}

/**
 * The hold model: a constant population of pending events, each replaced by a later one. Run in
 * a fresh process started with --expose-gc, so that no garbage of other runs is collected between
 * the two heap readings: bytes per pending event = (heap used + array buffers after the kernel is
 * built and filled − before) ÷ pending events, next to the heap's own capacity arithmetic.
 */
const hold = (): void => {
  const collect = (globalThis as { gc?: () => void }).gc
  if (collect === undefined) throw new Error("hold needs --expose-gc")
  const pendingTarget = 1_000_000
  const eventsToRun = 5_000_000
  collect()
  collect()
  const before = process.memoryUsage()
  const kernel = new Kernel({ capacity: 1 << 20 })
  const stream = streamOf(42, "hold")
  const again = kernel.register<undefined>("hold", () => {
    kernel.schedule(exponentialUs(stream, 1_000_000), again, 0, undefined)
  })
  for (let i = 0; i < pendingTarget; i++)
    kernel.schedule(exponentialUs(stream, 1_000_000), again, 0, undefined)
  collect()
  collect()
  const after = process.memoryUsage()
  const cpu0 = cpuNowUs()
  const processed = kernel.run(Number.MAX_SAFE_INTEGER, eventsToRun)
  const cpuSeconds = (cpuNowUs() - cpu0) / 1e6
  const measured = after.heapUsed + after.arrayBuffers - (before.heapUsed + before.arrayBuffers)
  printLine({
    bench: "hold",
    pending: kernel.pending,
    events: processed,
    eventsPerCpuSecond: Math.round(processed / cpuSeconds),
    bytesPerPendingEventMeasured: Number((measured / pendingTarget).toFixed(1)),
    bytesPerPendingEventByCapacity: Number((kernel.heap.capacityBytes / pendingTarget).toFixed(1)),
    rssBytesPerPendingEvent: Number(((after.rss - before.rss) / pendingTarget).toFixed(1)),
    ...machine(),
  })
}

if (process.argv[2] === "hold") hold()
else {
  mmc()
  const self = fileURLToPath(import.meta.url)
  process.stdout.write(
    execFileSync(process.execPath, ["--expose-gc", "--import", "tsx", self, "hold"], { encoding: "utf8" }),
  )
}
