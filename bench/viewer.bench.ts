/**
 * `npm run bench:viewer`: the cost of watching (DESIGN.md §5: viewer attached ≤ 10 % slower than
 * headless). The viewer demo's baseline runs as fast as possible, after a warm-up, five times each, alternating:
 * headless (no sinks), and attached (the broadcast sink, the ws server with its 10 Hz aggregation,
 * and one ws client in a separate process that parses every frame, as a browser would). Prints
 * events/s of each run, the median loss, and the frames' size and rate. Figures, not assertions.
 */
import { spawn } from "node:child_process"
import { performance } from "node:perf_hooks"
import { Effect } from "effect"
import { demoRoute, makeDemoSession } from "../scenarios/viewer-demo/demo-session.ts"
import { DEMO_SPECS } from "../scenarios/viewer-demo/demo-spec.ts"
import { buildDemoWorld } from "../scenarios/viewer-demo/demo-world.ts"
import { makeRunControl } from "../sim/run/run-control.ts"
import { startViewerServer } from "../sim/server/viewer-server.ts"
import { printLine } from "./measure.ts"

const spec = DEMO_SPECS[0]!
const ROUNDS = 5

const headless = async (seed: number) => {
  const world = buildDemoWorld(spec, seed, [])
  const rc = Effect.runSync(makeRunControl(world.kernel, { chunkEvents: 20_000, frameMs: 20 }))
  const t0 = performance.now()
  const p = await Effect.runPromise(rc.start(spec.endUs + 1))
  const seconds = (performance.now() - t0) / 1000
  return { events: p.events, seconds, eventsPerSecond: p.events / seconds, digest: world.digest.hex() }
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

const attached = async (seed: number) => {
  // Paced to a standstill until the client is connected, then as fast as possible.
  const session = makeDemoSession({ seed, speed: 1e-6 })
  const server = await startViewerServer(session, { route: demoRoute })
  const client = await startClient(server.wsUrl)
  const t0 = performance.now()
  await session.command({ type: "speed", factor: null })
  const p = await session.finished()
  const seconds = (performance.now() - t0) / 1000
  const seen = await client.result
  const stats = server.stats()
  await server.close()
  await session.close()
  return {
    events: p.events,
    seconds,
    eventsPerSecond: p.events / seconds,
    digest: session.world().digest.hex(),
    framesPerSecond: seen.frames / seconds,
    frameBytesMean: Math.round(stats.frameBytesTotal / Math.max(1, stats.framesBuilt)),
    frameBytesMax: stats.frameBytesMax,
    clientFrames: seen.frames,
    clientRecords: seen.records,
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!

const main = async () => {
  printLine({
    bench: "viewer",
    scenario: spec.id,
    rounds: ROUNDS,
    note: "seed 1; same model, same digest both ways",
  })
  await headless(2)
  const h: number[] = []
  const a: number[] = []
  for (let round = 0; round < ROUNDS; round++) {
    const head = await headless(1)
    printLine({ mode: "headless", round, ...head })
    h.push(head.eventsPerSecond)
    const att = await attached(1)
    printLine({ mode: "attached", round, ...att })
    a.push(att.eventsPerSecond)
    if (att.digest !== head.digest)
      printLine({ warning: "digests differ", headless: head.digest, attached: att.digest })
  }
  const loss = 1 - median(a) / median(h)
  printLine({
    summary: "viewer attached vs headless",
    headlessEventsPerSecond: Math.round(median(h)),
    attachedEventsPerSecond: Math.round(median(a)),
    lossPercent: Number((100 * loss).toFixed(1)),
    budgetPercent: 10,
    withinBudget: loss <= 0.1,
  })
}

await main()
