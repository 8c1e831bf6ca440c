/**
 * `npm run bench:cluster` with TSM_TWIN_CLUSTER=postgres://… (an empty database of your own):
 * the cost of running a sweep on the cluster instead of locally, and its wall time on 1, 2 and 3
 * runners. The sweep is 06-issuance-campaign at a thousandth of its users for two months,
 * 6 points × 2 replications (BENCH_RUNS_REPLICATIONS changes the replications). Each runner has one
 * worker thread, and the local sweep runs on one worker thread too. A local sweep starts its
 * threads cold while a runner warms its thread before it joins (runners are long-lived), so the
 * fixed cost and the cost per run are measured apart: a 1-run sweep gives the fixed cost, and
 * (12-run wall − 1-run wall) / 11 the marginal cost of a run; the overhead per run is the cluster's
 * marginal cost minus the local one. Runners are started before the clock starts, fresh for each
 * measurement. A figure printer, never a timed assertion.
 */
import { spawn } from "node:child_process"
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs"
import { createServer } from "node:net"
import { tmpdir } from "node:os"
import { join, resolve } from "node:path"
import { ProgressBar } from "../app/cli/progress-bar.ts"
import { runSweep } from "../app/cli/sweep-command.ts"

const ROOT = resolve(import.meta.dirname, "..")
const cluster = process.env.TSM_TWIN_CLUSTER
if (cluster === undefined) {
  console.error("set TSM_TWIN_CLUSTER=postgres://user:password@host:port/db (an empty database)")
  process.exit(2)
}
const replications = Number(process.env.BENCH_RUNS_REPLICATIONS ?? 2)
const VARY = "scaleFactor=0.0005,0.0006,0.0007,0.0008,0.0009,0.001"
const runs = 6 * replications
const quiet = () => new ProgressBar({ isTTY: false, write: () => true })

const scenario = (() => {
  const json = JSON.parse(readFileSync(join(ROOT, "scenarios/06-issuance-campaign.json"), "utf8"))
  const path = join(mkdtempSync(join(tmpdir(), "bench-cluster-")), "06-small.json")
  writeFileSync(path, JSON.stringify({ ...json, scaleFactor: 0.001, untilDate: "2014-09-30" }))
  return path
})()

/** A port the system says is free now (the runner binds it a moment later). */
const freePort = () =>
  new Promise<number>((done) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const address = server.address()
      server.close(() => done(typeof address === "object" && address !== null ? address.port : 0))
    })
  })

const startRunner = (port: number) =>
  new Promise<ReturnType<typeof spawn>>((done, fail) => {
    const child = spawn(
      process.execPath,
      [
        "--import",
        "tsx",
        join(ROOT, "app/cli/main.ts"),
        "runner",
        "--host",
        "127.0.0.1",
        "--port",
        String(port),
        "--workers",
        "1",
      ],
      { cwd: ROOT, stdio: ["ignore", "pipe", "inherit"] },
    )
    child.stdout?.on("data", (chunk: Buffer) => {
      if (chunk.toString().includes("joined the cluster")) done(child)
    })
    child.once("exit", (code) => fail(new Error(`runner on ${port} exited with ${code}`)))
  })

const timed = async (label: string, args: Parameters<typeof runSweep>[0], count: number) => {
  const started = performance.now()
  const r = await runSweep(args, quiet())
  const seconds = (performance.now() - started) / 1000
  if (r.code !== 0) throw new Error(`${label}: ${r.message}`)
  console.log(`${label.padEnd(30)} ${seconds.toFixed(1).padStart(6)} s  (${count} runs)`)
  return seconds
}

const out = (kind: string) => mkdtempSync(join(tmpdir(), `bench-${kind}-`))
const full = { scenario, vary: [VARY], replications, workers: 1 }
// One run: the first grid point, one replication — the fixed cost of a sweep (thread start-up for
// a local sweep; submission, scheduling and collection for a cluster sweep).
const one = { scenario, vary: [VARY.replace(/,.*$/, "")], replications: 1, workers: 1 }
console.log(`sweep: 06-issuance-campaign small, 6 points × ${replications} replications = ${runs} runs`)
const local1 = await timed("local, 1 thread, 1 run", { ...one, out: out("l1") }, 1)
const localN = await timed("local, 1 thread", { ...full, out: out("l") }, runs)
const walls: number[] = []
let cluster1 = 0
for (const n of [1, 2, 3]) {
  // Fresh runners for each measurement (each warms its thread before it joins, like a long-lived runner).
  const runners = await Promise.all(Array.from({ length: n }, async () => startRunner(await freePort())))
  try {
    if (n === 1) cluster1 = await timed("cluster, 1 runner, 1 run", { ...one, cluster, out: out("c1") }, 1)
    const label = `cluster, ${n} runner${n > 1 ? "s" : ""} (1 thread each)`
    walls.push(await timed(label, { ...full, workers: null, cluster, out: out("c") }, runs))
  } finally {
    for (const r of runners) r.kill("SIGTERM")
    await Promise.all(runners.map((r) => new Promise((done) => r.once("exit", done))))
  }
}
const localPerRun = (localN - local1) / (runs - 1)
const clusterPerRun = (walls[0]! - cluster1) / (runs - 1)
console.log(
  `per run, marginal: local ${localPerRun.toFixed(2)} s, cluster ${clusterPerRun.toFixed(2)} s → overhead ${(clusterPerRun - localPerRun).toFixed(2)} s per run`,
)
console.log(
  `fixed: a 1-run sweep takes ${local1.toFixed(1)} s locally (cold thread), ${cluster1.toFixed(1)} s on a warm runner`,
)
console.log(
  `speed-up over 1 runner: 2 runners ${(walls[0]! / walls[1]!).toFixed(2)}×, 3 runners ${(walls[0]! / walls[2]!).toFixed(2)}× (this machine has 2 cores)`,
)
