// Proves the viewer server survives hostile and slow clients: random bytes, wrong types and huge
// messages get error frames (or, past the hard bound, a closed connection) while the server keeps
// serving; a client that stops reading is dropped with its queue bounded; many clients at once all
// get hello, snapshot and frames at ≤ 10 Hz; commands reach the session and are acknowledged.
import fc from "fast-check"
import { afterEach, describe, expect, it } from "vitest"
import WebSocket from "ws"
import { PROTOCOL_LIMITS } from "../../../sim/server/protocol.ts"
import { startViewerServer, type ViewerServer } from "../../../sim/server/viewer-server.ts"
import { type StubSession, stubSession } from "./stub-session.ts"

const route = (r: Readonly<Record<string, unknown>>) => ({ mode: "append", group: String(r.signal) }) as const

interface Client {
  readonly ws: WebSocket
  readonly messages: Array<Record<string, unknown>>
  next(type: string, after?: number): Promise<Record<string, unknown>>
  closed: Promise<number>
}

const connect = (url: string): Promise<Client> =>
  new Promise((resolve, reject) => {
    const ws = new WebSocket(url)
    const messages: Array<Record<string, unknown>> = []
    const waiters: Array<() => void> = []
    ws.on("message", (data) => {
      messages.push(JSON.parse(String(data)))
      for (const w of waiters.splice(0)) w()
    })
    const closed = new Promise<number>((done) => ws.on("close", (code) => done(code)))
    const next = (type: string, after = 0) =>
      new Promise<Record<string, unknown>>((done, fail) => {
        const timer = setTimeout(() => fail(new Error(`no ${type} message`)), 5000)
        const look = () => {
          const found = messages.slice(after).find((m) => m.type === type)
          if (found !== undefined) {
            clearTimeout(timer)
            done(found)
          } else waiters.push(look)
        }
        look()
      })
    ws.on("open", () => resolve({ ws, messages, next, closed }))
    ws.on("error", reject)
  })

let server: ViewerServer | null = null
afterEach(async () => {
  await server?.close()
  server = null
})

const start = async (session: StubSession, sendBufferBytesMax?: number) => {
  server = await startViewerServer(session, {
    route,
    ...(sendBufferBytesMax === undefined ? {} : { sendBufferBytesMax }),
  })
  return server
}

describe("viewer server", () => {
  it("binds 127.0.0.1, greets with a versioned hello and a snapshot, acknowledges commands", async () => {
    const session = stubSession()
    const s = await start(session)
    expect(s.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/)
    const c = await connect(s.wsUrl)
    const hello = await c.next("hello")
    expect(hello.protocol).toBe(2)
    expect(hello.faults).toEqual([{ id: "boom", title: "a fault" }])
    expect((await c.next("frame")).snapshot).toBe(true)
    c.ws.send(JSON.stringify({ type: "pause", id: 1 }))
    expect(await c.next("ack")).toEqual({ type: "ack", command: "pause", id: 1 })
    c.ws.send(JSON.stringify({ type: "inject", fault: "nope", id: 2 }))
    expect((await c.next("error")).code).toBe("unknown-fault")
    c.ws.send(JSON.stringify({ type: "inspect", flow: "f", id: 3 }))
    expect((await c.next("detail")).records).toHaveLength(1)
    expect(session.commands.map((x) => x.type)).toEqual(["pause", "inject", "inspect"])
    c.ws.close()
  })

  it("answers fuzzed messages with errors and keeps running", async () => {
    const session = stubSession()
    const s = await start(session)
    const c = await connect(s.wsUrl)
    await c.next("frame")
    const inputs = fc.sample(
      fc.oneof(
        fc.uint8Array({ maxLength: 300 }).map((b) => ({ data: Buffer.from(b), binary: true })),
        fc.string({ maxLength: 300 }).map((t) => ({ data: t, binary: false })),
        fc.jsonValue().map((v) => ({ data: JSON.stringify(v), binary: false })),
        fc
          .record({ type: fc.constantFrom("step", "speed", "inject", "restart"), events: fc.anything() })
          .map((v) => ({
            data: JSON.stringify(v) ?? "null",
            binary: false,
          })),
      ),
      { numRuns: 300, seed: 42 },
    )
    for (const input of inputs) c.ws.send(input.data, { binary: input.binary })
    c.ws.send("x".repeat(PROTOCOL_LIMITS.clientMessageBytesMax + 10))
    c.ws.send(JSON.stringify({ type: "pause", id: 77 }))
    expect(await c.next("ack")).toMatchObject({ command: "pause", id: 77 })
    expect(c.messages.some((m) => m.type === "error" && m.code === "too-large")).toBe(true)
    expect(s.stats().messagesRefused).toBeGreaterThan(250)
    // Past the hard bound the ws layer closes that connection (1009); the server stays up.
    c.ws.send(Buffer.alloc(PROTOCOL_LIMITS.clientMessageBytesHardMax + 1, 0x20))
    expect(await c.closed).toBe(1009)
    const again = await connect(s.wsUrl)
    expect((await again.next("hello")).type).toBe("hello")
    again.ws.close()
  })

  it("drops a client that stops reading, with its queue bounded", async () => {
    const session = stubSession()
    const bound = 2 * PROTOCOL_LIMITS.frameBytesMax
    const s = await start(session, bound)
    const slow = await connect(s.wsUrl)
    const fast = await connect(s.wsUrl)
    await slow.next("frame")
    ;(slow.ws as unknown as { _socket: { pause(): void } })._socket.pause()
    const pad = "y".repeat(1000)
    const pump = setInterval(() => {
      for (let i = 0; i < 200; i++) session.records.write({ tUs: i, signal: "load", pad })
    }, 20)
    const deadline = Date.now() + 20_000
    while (s.stats().clientsDropped === 0 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 50))
    clearInterval(pump)
    expect(s.stats().clientsDropped).toBe(1)
    expect(s.clientCount()).toBe(1)
    expect(s.stats().frameBytesMax).toBeLessThanOrEqual(PROTOCOL_LIMITS.frameBytesMax)
    const seen = fast.messages.length
    expect((await fast.next("frame", seen)).type).toBe("frame")
    fast.ws.close()
  })

  it("serves many clients at once at no more than 10 frames a second", async () => {
    const session = stubSession()
    const s = await start(session)
    const clients = await Promise.all(Array.from({ length: 24 }, () => connect(s.wsUrl)))
    const t0 = Date.now()
    for (let i = 0; i < 20; i++) session.records.write({ tUs: i, signal: "x" })
    await new Promise((r) => setTimeout(r, 1000))
    const elapsedS = (Date.now() - t0) / 1000
    for (const c of clients) {
      const frames = c.messages.filter((m) => m.type === "frame")
      expect(frames.length).toBeGreaterThanOrEqual(3)
      expect(frames.length - 1).toBeLessThanOrEqual(Math.ceil(elapsedS * 10) + 1)
      expect(frames.flatMap((f) => f.records as unknown[]).length).toBe(20)
    }
    session.replace()
    for (const c of clients) expect((await c.next("hello", 2)).type).toBe("hello")
    for (const c of clients) c.ws.close()
  })

  /** How a handshake with these headers ends: "open", or the refusal's HTTP status. */
  const handshake = (url: string, headers: { origin?: string; host?: string }) => {
    const ws = new WebSocket(url, {
      ...(headers.origin === undefined ? {} : { origin: headers.origin }),
      ...(headers.host === undefined ? {} : { headers: { host: headers.host } }),
    })
    return new Promise<string>((done) => {
      ws.on("unexpected-response", (_req, res) => done(String(res.statusCode)))
      ws.on("open", () => {
        ws.close()
        done("open")
      })
      ws.on("error", () => done("error"))
    })
  }

  it("refuses pages from other origins", async () => {
    const s = await start(stubSession())
    expect(await handshake(s.wsUrl, { origin: "http://evil.example" })).toBe("401")
  })

  it("accepts only its own origins, never one derived from the Host header (DNS rebinding)", async () => {
    const s = await start(stubSession())
    const p = s.port
    // A rebinding page: attacker.example now resolves to 127.0.0.1, so Host and Origin agree.
    const rebinding = { origin: `http://attacker.example:${p}`, host: `attacker.example:${p}` }
    expect(await handshake(s.wsUrl, rebinding)).toBe("401")
    expect(await handshake(s.wsUrl, { origin: `http://127.0.0.1:${p + 1}` })).toBe("401")
    expect(await handshake(s.wsUrl, { origin: `https://127.0.0.1:${p}` })).toBe("401")
    expect(await handshake(s.wsUrl, { origin: `http://127.0.0.1:${p}` })).toBe("open")
    expect(await handshake(s.wsUrl, { origin: `http://localhost:${p}` })).toBe("open")
    // Not a browser page (no Origin): no cross-site risk, e.g. the tests' own clients.
    expect(await handshake(s.wsUrl, {})).toBe("open")
  })

  it("falls back to a free port when the one asked for is taken, and fails without fallback", async () => {
    const first = await start(stubSession())
    const taken = first.port
    await expect(startViewerServer(stubSession(), { route, port: taken })).rejects.toThrow(/EADDRINUSE/)
    const second = await startViewerServer(stubSession(), { route, port: taken, portFallback: true })
    try {
      expect(second.portTaken).toBe(true)
      expect(second.port).not.toBe(taken)
      expect(second.url).toBe(`http://127.0.0.1:${second.port}/`)
      const c = await connect(second.wsUrl)
      expect((await c.next("hello")).type).toBe("hello")
      c.ws.close()
    } finally {
      await second.close()
    }
  })
})
