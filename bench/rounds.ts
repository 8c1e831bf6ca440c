/**
 * Fair side-by-side measurement for every benchmark that has a peer (issue #17, Build 1).
 *
 * - Both sides are warmed up alike: each contender runs for the same CPU time before any round,
 *   so that V8 has compiled the twin and the peer equally (and lazy tables exist on both sides).
 * - Rounds are interleaved (twin, peer, twin, peer, … with the order rotated each round), so that
 *   the load of the other processes on this shared machine falls on both sides alike.
 * - Figures are in CPU time of this process (process.cpuUsage: user + system, all its threads),
 *   which other processes disturb far less than wall time; wall time is printed beside it.
 * - Each figure is the median and the range of ≥ 3 rounds, and every line carries the machine's
 *   load average, so a reader can judge how indicative it is.
 * Benchmarks print figures; nothing here asserts a timing (README "Benchmarks").
 */
import { cpus, loadavg } from "node:os"
import { performance } from "node:perf_hooks"

export const ROUNDS_MIN = 3

/** One side of a comparison: `run(i)` does one operation (i counts calls, for input pools). */
export interface Contender {
  readonly name: string
  readonly run: (i: number) => unknown
}

/** ops per CPU second (and per wall second) of one contender over the rounds. */
export interface Figures {
  readonly name: string
  readonly cpuOpsPerSec: readonly number[]
  readonly wallOpsPerSec: readonly number[]
  readonly cpuSeconds: number
}

export interface RoundOptions {
  readonly rounds?: number
  /** CPU milliseconds per contender per round. */
  readonly budgetMs?: number
  /** CPU milliseconds of warm-up per contender, the same for all. */
  readonly warmupMs?: number
}

/** The machine's state, printed with every figure (1-, 5- and 15-minute load averages, cores). */
export const machine = (): { loadAvg: number[]; cores: number } => ({
  loadAvg: loadavg().map((x) => Number(x.toFixed(2))),
  cores: cpus().length,
})

export const cpuNowUs = (): number => {
  const u = process.cpuUsage()
  return u.user + u.system
}

export const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b)
  const m = s.length >> 1
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2
}

/** Runs `run` in doubling batches until `budgetMs` of CPU time is spent; ops per CPU and wall second. */
const slice = (contender: Contender, budgetMs: number, first: number) => {
  const budgetUs = budgetMs * 1000
  let ops = 0
  let batch = 1
  const wall0 = performance.now()
  const cpu0 = cpuNowUs()
  let cpuUs = 0
  while (cpuUs < budgetUs) {
    for (let i = 0; i < batch; i++) contender.run(first + ops + i)
    ops += batch
    cpuUs = cpuNowUs() - cpu0
    if (cpuUs < budgetUs / 20) batch *= 2
  }
  const wallS = (performance.now() - wall0) / 1000
  return { ops, cpuS: cpuUs / 1e6, wallS }
}

/** Equal warm-up, then `rounds` interleaved rounds with the order rotated each round. */
export const interleaved = (contenders: readonly Contender[], options: RoundOptions = {}): Figures[] => {
  const rounds = Math.max(ROUNDS_MIN, options.rounds ?? ROUNDS_MIN)
  const budgetMs = options.budgetMs ?? 400
  const calls = contenders.map(() => 0)
  contenders.forEach((c, j) => {
    calls[j] = slice(c, options.warmupMs ?? budgetMs / 2, 0).ops
  })
  const cpu = contenders.map((): number[] => [])
  const wall = contenders.map((): number[] => [])
  const spent = contenders.map(() => 0)
  for (let r = 0; r < rounds; r++) {
    for (let o = 0; o < contenders.length; o++) {
      const j = (o + r) % contenders.length
      const s = slice(contenders[j]!, budgetMs, calls[j]!)
      calls[j]! += s.ops
      cpu[j]!.push(s.ops / s.cpuS)
      wall[j]!.push(s.ops / s.wallS)
      spent[j]! += s.cpuS
    }
  }
  return contenders.map((c, j) => ({
    name: c.name,
    cpuOpsPerSec: cpu[j]!,
    wallOpsPerSec: wall[j]!,
    cpuSeconds: spent[j]!,
  }))
}

const rounded = (x: number): number => (x >= 100 ? Math.round(x) : Number(x.toPrecision(3)))

/** One JSON line per figure, so results can be collected by scripts as well as read. */
export const printLine = (record: Readonly<Record<string, unknown>>): void => {
  process.stdout.write(`${JSON.stringify(record)}\n`)
}

/** The JSON line of one contender: median and range in CPU time, wall median, load, CPU spent. */
export const figureLine = (bench: string, op: string, f: Figures): Record<string, unknown> => ({
  bench,
  op,
  side: f.name,
  opsPerCpuSecMedian: rounded(median(f.cpuOpsPerSec)),
  opsPerCpuSecRange: [rounded(Math.min(...f.cpuOpsPerSec)), rounded(Math.max(...f.cpuOpsPerSec))],
  opsPerWallSecMedian: rounded(median(f.wallOpsPerSec)),
  rounds: f.cpuOpsPerSec.length,
  cpuSeconds: Number(f.cpuSeconds.toFixed(2)),
  ...machine(),
})

/** twin ÷ peer per round (the rounds pair up because they interleave): median and range. */
const ratiosOf = (twin: Figures, peer: Figures): { ratio: number; range: [number, number] } => {
  const ratios = twin.cpuOpsPerSec.map((t, i) => t / peer.cpuOpsPerSec[i]!)
  return {
    ratio: Number(median(ratios).toFixed(2)),
    range: [Number(Math.min(...ratios).toFixed(2)), Number(Math.max(...ratios).toFixed(2))],
  }
}

/**
 * A context line: a ratio printed beside the budget lines to show what bounds them (a floor, a
 * ceiling), with no minimum and no verdict, so it cannot be mistaken for a budget that was met.
 */
export const contextLine = (
  bench: string,
  context: string,
  a: Figures,
  b: Figures,
): Record<string, unknown> => {
  const { ratio, range } = ratiosOf(a, b)
  return {
    bench,
    context,
    ratio,
    ratioRange: range,
    a: `${a.name} ${rounded(median(a.cpuOpsPerSec))}/CPU-s`,
    b: `${b.name} ${rounded(median(b.cpuOpsPerSec))}/CPU-s`,
    ...machine(),
  }
}

/**
 * A budget line: twin ÷ peer in CPU time (the median of the per-round ratios, and their range),
 * the peer's own figure, the minimum and "met"/"missed". Rounds pair up because they interleave.
 */
export const budgetLine = (
  bench: string,
  budget: string,
  twin: Figures,
  peer: Figures,
  minimum: number,
): Record<string, unknown> => {
  const ratios = twin.cpuOpsPerSec.map((t, i) => t / peer.cpuOpsPerSec[i]!)
  const ratio = median(ratios)
  return {
    bench,
    budget,
    verdict: ratio >= minimum ? "met" : "missed",
    ratio: Number(ratio.toFixed(2)),
    ratioRange: [Number(Math.min(...ratios).toFixed(2)), Number(Math.max(...ratios).toFixed(2))],
    minimum,
    twin: `${twin.name} ${rounded(median(twin.cpuOpsPerSec))}/CPU-s`,
    peer: `${peer.name} ${rounded(median(peer.cpuOpsPerSec))}/CPU-s`,
    ...machine(),
  }
}
