/**
 * `npm run bench:viewer`: the cost of watching the pilot (DESIGN.md §5: viewer attached ≤ 10 %
 * slower than headless). 04-pilot-plan at scale 0.05 (~2.4 M events) runs as fast as possible,
 * after a warm-up, ROUNDS times each, alternating: headless (runPilot, the `npm run
 * start:headless` path), and attached (the live run with the viewer's signals and traced
 * issuances, the broadcast sink, the ws server with its 10 Hz aggregation, and one ws client in a
 * separate process that parses every frame, as a browser would). Prints events/s of each run, the
 * median loss, and the frames' size and rate; also each run's CPU seconds (this process only: the
 * client stands for the browser) and the machine's load average, because on a shared, loaded
 * machine wall-clock rates swing with the neighbours while CPU time mostly does not. Figures, not
 * assertions.
 */
import { spawn } from "node:child_process"
import { readFileSync } from "node:fs"
import { loadavg } from "node:os"
import { join } from "node:path"
import { performance } from "node:perf_hooks"
import { demoRoute } from "../app/live/demo-session.ts"
import { SCENARIO_DIR } from "../app/live/pilot-catalogue.ts"
import { makeViewerSession } from "../app/live/viewer-session.ts"
import { nativeCrypto } from "../model/crypto/native-crypto.ts"
import { runPilot } from "../model/world/pilot/pilot-run.ts"
import { decodePilotScenario } from "../model/world/pilot/pilot-scenario.ts"
import { startViewerServer } from "../sim/server/viewer-server.ts"
import { printLine } from "./measure.ts"

const SCENARIO = "04-pilot-plan"
const SCALE = Number(process.env.BENCH_VIEWER_SCALE ?? 0.05)
const ROUNDS = Number(process.env.BENCH_VIEWER_ROUNDS ?? 3)

const headless = async () => {
  const decoded = decodePilotScenario(
    JSON.parse(readFileSync(join(SCENARIO_DIR, `${SCENARIO}.json`), "utf8")),
  )
  if (!decoded.ok) throw new Error(decoded.message)
  const t0 = performance.now()
  const c0 = process.cpuUsage()
  const state = runPilot({
    scenario: decoded.value,
    population: decoded.population,
    scale: SCALE,
    seed: decoded.value.seed,
    crypto: nativeCrypto,
  })
  const seconds = (performance.now() - t0) / 1000
  const cpuSeconds = cpuSince(c0)
  const events = state.world.kernel.eventsProcessed
  return { events, seconds, cpuSeconds, eventsPerSecond: events / seconds, digest: state.world.digest.hex() }
}

/** A ws client in its own process: counts frames and bytes, exits after the run's last frame. */
const CLIENT = `
import WebSocket from "ws"
const ws = new WebSocket(process.argv[1])
let frames = 0, bytes = 0, records = 0
ws.on("message", (data) => {
  const text = String(data)
  const m = JSON.parse(text)
  if (m.type !== "frame") return
  frames++; bytes += text.length; records += m.records.length
  if (m.progress.state === "done") { console.log(JSON.stringify({ frames, bytes, records })); process.exit(0) }
})
ws.on("open", () => console.log("open"))
`

const startClient = (url: string) =>
  new Promise<{ result: Promise<{ frames: number; bytes: number; records: number }> }>((resolveStart) => {
    const child = spawn(process.execPath, ["--input-type=module", "-e", CLIENT, url], {
      stdio: ["ignore", "pipe", "inherit"],
    })
    let out = ""
    const result = new Promise<{ frames: number; bytes: number; records: number }>((done) => {
      child.stdout.on("data", (chunk: Buffer) => {
        out += String(chunk)
        if (out.startsWith("open\n")) resolveStart({ result })
        const last = out.trim().split("\n").at(-1)!
        if (last.startsWith("{")) done(JSON.parse(last))
      })
    })
  })

const attached = async () => {
  // Paced to a standstill until the client is connected, then as fast as possible.
  const session = makeViewerSession({ scenario: SCENARIO, scale: SCALE, speed: 1e-6 })
  const server = await startViewerServer(session, { route: demoRoute })
  const client = await startClient(server.wsUrl)
  const run = session.pilot()!
  const t0 = performance.now()
  const c0 = process.cpuUsage()
  await session.command({ type: "speed", factor: null })
  await run.done
  const seconds = (performance.now() - t0) / 1000
  const cpuSeconds = cpuSince(c0)
  const seen = await client.result
  const stats = server.stats()
  await server.close()
  await session.close()
  const events = run.live.kernel.eventsProcessed
  return {
    events,
    seconds,
    cpuSeconds,
    eventsPerSecond: events / seconds,
    digest: run.live.state.world.digest.hex(),
    framesPerSecond: Number((seen.frames / seconds).toFixed(2)),
    frameBytesMean: Math.round(stats.frameBytesTotal / Math.max(1, stats.framesBuilt)),
    frameBytesMax: stats.frameBytesMax,
    clientFrames: seen.frames,
    clientRecords: seen.records,
  }
}

/** CPU seconds (user + system) of this process since `start`. */
const cpuSince = (start: NodeJS.CpuUsage): number => {
  const used = process.cpuUsage(start)
  return (used.user + used.system) / 1e6
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!

const main = async () => {
  printLine({
    bench: "viewer",
    scenario: SCENARIO,
    scale: SCALE,
    rounds: ROUNDS,
    note: "same world, same digest both ways",
    loadAverage: loadavg().map((x) => Number(x.toFixed(1))),
  })
  await headless()
  const h: number[] = []
  const a: number[] = []
  const hCpu: number[] = []
  const aCpu: number[] = []
  for (let round = 0; round < ROUNDS; round++) {
    const head = await headless()
    printLine({ mode: "headless", round, ...head })
    h.push(head.eventsPerSecond)
    hCpu.push(head.cpuSeconds)
    const att = await attached()
    printLine({ mode: "attached", round, ...att })
    a.push(att.eventsPerSecond)
    aCpu.push(att.cpuSeconds)
    if (att.digest !== head.digest)
      printLine({ warning: "digests differ", headless: head.digest, attached: att.digest })
  }
  const loss = 1 - median(a) / median(h)
  printLine({
    summary: "viewer attached vs headless",
    headlessEventsPerSecond: Math.round(median(h)),
    attachedEventsPerSecond: Math.round(median(a)),
    lossPercent: Number((100 * loss).toFixed(1)),
    cpuSecondsHeadless: Number(median(hCpu).toFixed(2)),
    cpuSecondsAttached: Number(median(aCpu).toFixed(2)),
    cpuLossPercent: Number((100 * (1 - median(hCpu) / median(aCpu))).toFixed(1)),
    budgetPercent: 10,
    withinBudget: loss <= 0.1,
    loadAverage: loadavg().map((x) => Number(x.toFixed(1))),
  })
}

await main()
