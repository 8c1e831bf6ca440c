// A child process for restart-burst.test.ts (run with --expose-gc so RSS can be read after a full
// collection): a live pilot session behind the ws server gets 50 restart commands at once from one
// client; prints one JSON line with RSS before and after, the runs still looping, the current seed
// and how many commands were acknowledged.
import WebSocket from "ws"
import { demoRoute } from "../../../app/live/demo-session.ts"
import { livePilotLoopsRunning } from "../../../app/live/live-pilot.ts"
import { makeViewerSession, PILOT_SPEED_DEFAULT } from "../../../app/live/viewer-session.ts"
import { startViewerServer } from "../../../sim/server/viewer-server.ts"

const RESTARTS = 50
const gc = (globalThis as { gc?: () => void }).gc
if (gc === undefined) throw new Error("run with --expose-gc")
const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms))
const settledRss = async () => {
  for (let i = 0; i < 3; i++) {
    gc()
    await sleep(100)
  }
  return process.memoryUsage().rss
}

const scale = Number(process.argv[2] ?? 0.02)
const session = makeViewerSession({ scenario: "04-pilot-plan", seed: 1, scale, speed: PILOT_SPEED_DEFAULT })
const server = await startViewerServer(session, { route: demoRoute })
await sleep(1500)
const rssStart = await settledRss()
const ws = new WebSocket(server.wsUrl)
await new Promise((done) => ws.on("open", done))
let acks = 0
const allAcked = new Promise<void>((done) =>
  ws.on("message", (data) => {
    const m = JSON.parse(String(data)) as { type: string; command?: string }
    if (m.type === "ack" && m.command === "restart" && ++acks === RESTARTS) done()
  }),
)
for (let i = 1; i <= RESTARTS; i++) ws.send(JSON.stringify({ type: "restart", seed: 100 + i, id: i }))
await allAcked
const loopsAfterAcks = livePilotLoopsRunning()
await sleep(1500)
const rssEnd = await settledRss()
const result = {
  rssStart,
  rssEnd,
  loopsAfterAcks,
  loops: livePilotLoopsRunning(),
  seed: session.info().seed,
  acks,
  simulatedUs: session.progress().tUs,
}
ws.close()
await server.close()
await session.close()
process.stdout.write(`${JSON.stringify({ ...result, loopsAfterClose: livePilotLoopsRunning() })}\n`)
