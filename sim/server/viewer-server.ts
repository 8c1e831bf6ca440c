/**
 * The viewer's ws server (DESIGN.md §4 "Viewer"): binds 127.0.0.1 unless told otherwise, serves the
 * built viewer over HTTP when given its folder, and speaks protocol.ts on `/ws`:
 * - on connect: `hello`, then a snapshot frame with the state so far;
 * - every 1/framesPerSecond s (≤ 10 Hz): one frame built from the aggregator, serialized once and
 *   sent to every client, cut down to the protocol's byte bound;
 * - each client message is validated (client-message.ts); a bad one gets an `error` and the
 *   connection stays; a valid command goes to the session and gets an `ack`, `detail` or `error`;
 *   a `window` request is answered here from the full-resolution series store (series-store.ts).
 * A client whose unsent data would pass `sendBufferBytesMax` is dropped at once, never buffered
 * without bound; messages over the protocol's hard bound are refused by the ws layer itself
 * (close code 1009). Browsers on other sites cannot connect: the Origin must be one of the
 * server's own (ownOrigins), never taken from the Host header.
 */
import { createServer, type IncomingMessage, type Server } from "node:http"
import type { AddressInfo } from "node:net"
import { type RawData, WebSocket, WebSocketServer } from "ws"
import { decodeClientMessage, errorMessage } from "./client-message.ts"
import { FrameAggregator, type FrameContent, type Route } from "./frame-aggregator.ts"
import { toColumns } from "./frame-columns.ts"
import {
  type Command,
  type Frame,
  PROTOCOL_LIMITS,
  PROTOCOL_VERSION,
  type SeriesWindow,
  type ServerMessage,
  type Window,
} from "./protocol.ts"
import type { RunSession } from "./run-session.ts"
import { SeriesStore } from "./series-store.ts"
import { serveStatic } from "./static-files.ts"

export interface ViewerServerOptions {
  /** Interface to bind; 127.0.0.1 by default so a run is not exposed to the network. */
  readonly host?: string
  /** TCP port; 0 picks a free one. */
  readonly port?: number
  /** When the port is taken, bind a free one instead of failing (the URL says which). */
  readonly portFallback?: boolean
  /** Folder of the built viewer to serve at `/`; null serves only `/ws`. */
  readonly staticDir?: string | null
  /** How records become frame content (see frame-aggregator.ts). */
  readonly route: (record: Readonly<Record<string, unknown>>) => Route
  /** Frames per second, at most the protocol's 10. */
  readonly framesPerSecond?: number
  /** Unsent bytes a client may have queued before it is dropped as too slow; at least two frames. */
  readonly sendBufferBytesMax?: number
  /** Clients at once; one more is refused with close code 1013. */
  readonly clientsMax?: number
  /** Extra page origins allowed to connect (e.g. a vite dev server). */
  readonly allowOrigins?: ReadonlyArray<string>
}

export interface ViewerServerStats {
  framesSent: number
  /** Frames built (one per tick with at least one client). */
  framesBuilt: number
  frameBytesTotal: number
  frameBytesMax: number
  clientsDropped: number
  messagesRefused: number
  commandsAccepted: number
}

export interface ViewerServer {
  /** The page URL, e.g. http://127.0.0.1:8730/ */
  readonly url: string
  /** The ws URL, e.g. ws://127.0.0.1:8730/ws */
  readonly wsUrl: string
  readonly port: number
  /** True when the port asked for was taken and `portFallback` bound another. */
  readonly portTaken: boolean
  clientCount(): number
  stats(): Readonly<ViewerServerStats>
  close(): Promise<void>
}

const toBytes = (data: RawData): Uint8Array =>
  Array.isArray(data) ? Buffer.concat(data) : data instanceof ArrayBuffer ? new Uint8Array(data) : data

class Hub {
  readonly clients = new Set<WebSocket>()
  readonly stats: ViewerServerStats = {
    framesSent: 0,
    framesBuilt: 0,
    frameBytesTotal: 0,
    frameBytesMax: 0,
    clientsDropped: 0,
    messagesRefused: 0,
    commandsAccepted: 0,
  }
  readonly aggregator: FrameAggregator
  /** Every series at full resolution (bounded), for the viewer's zoom. */
  readonly series = new SeriesStore()
  private seq = 0
  private readonly sendBufferBytesMax: number
  private readonly clientsMax: number

  constructor(
    private readonly session: RunSession,
    options: ViewerServerOptions,
  ) {
    this.aggregator = new FrameAggregator({ route: options.route })
    this.sendBufferBytesMax = options.sendBufferBytesMax ?? 1024 * 1024
    // A healthy client must be able to hold two full frames in flight, or every client would be dropped.
    if (this.sendBufferBytesMax < 2 * PROTOCOL_LIMITS.frameBytesMax)
      throw new RangeError(`sendBufferBytesMax ${this.sendBufferBytesMax} is under two frames`)
    this.clientsMax = options.clientsMax ?? 32
  }

  connect(ws: WebSocket): void {
    if (this.clients.size >= this.clientsMax) {
      ws.close(1013, "too many clients")
      return
    }
    this.clients.add(ws)
    ws.on("message", (data, isBinary) => this.receive(ws, toBytes(data), isBinary))
    ws.on("close", () => this.clients.delete(ws))
    ws.on("error", () => this.drop(ws, false))
    this.send(ws, JSON.stringify(this.hello()))
    this.session.beforeFrame?.()
    this.sendSnapshot(ws)
  }

  /** The state so far, the whole run's history, over as many frames as the bounds need. */
  private sendSnapshot(ws: WebSocket): void {
    this.aggregator.snapshotFrames().forEach((content, i) => {
      this.sendFrame(ws, this.frameBytes(content, i === 0))
    })
  }

  /** One tick: the aggregator's content since the last tick, to every client. */
  tick(): void {
    // With nobody watching the newest values can wait: a client that connects asks for them first.
    if (this.clients.size > 0) this.session.beforeFrame?.()
    const content = this.aggregator.take()
    this.seq++
    if (this.clients.size === 0) return
    const bytes = this.frameBytes(content, false)
    this.stats.framesBuilt++
    for (const ws of this.clients) this.sendFrame(ws, bytes)
  }

  /** The run was replaced: everyone starts over from a new hello and an empty snapshot. */
  replaced(): void {
    this.aggregator.reset()
    this.series.reset()
    const hello = JSON.stringify(this.hello())
    for (const ws of this.clients) {
      this.send(ws, hello)
      this.sendSnapshot(ws)
    }
  }

  private hello(): ServerMessage {
    return {
      type: "hello",
      protocol: PROTOCOL_VERSION,
      server: "tsm-twin",
      run: this.session.info(),
      scenarios: this.session.scenarios.slice(0, PROTOCOL_LIMITS.catalogueMax),
      faults: this.session.faults().slice(0, PROTOCOL_LIMITS.catalogueMax),
      limits: {
        framesPerSecondMax: PROTOCOL_LIMITS.framesPerSecondMax,
        frameRecordsMax: PROTOCOL_LIMITS.frameRecordsMax,
        frameBytesMax: PROTOCOL_LIMITS.frameBytesMax,
        clientMessageBytesMax: PROTOCOL_LIMITS.clientMessageBytesMax,
      },
    }
  }

  /**
   * Serializes a frame to UTF-8 once (every client is sent the same bytes, and the byte bound,
   * the send buffer check and the socket all read them without encoding the text again), its
   * time-series samples in columns (frame-columns.ts), halving its records until it fits the
   * protocol's byte bound.
   */
  private frameBytes(content: FrameContent, snapshot: boolean): Buffer {
    let records = content.records
    let dropped = content.dropped
    for (;;) {
      const split = toColumns(records)
      const frame: Frame = {
        type: "frame",
        seq: this.seq,
        snapshot,
        progress: this.session.progress(),
        digest: this.session.digest(),
        records: split.records,
        ...(split.columns.length === 0 ? {} : { columns: split.columns }),
        dropped,
      }
      const bytes = Buffer.from(JSON.stringify(frame))
      if (bytes.length <= PROTOCOL_LIMITS.frameBytesMax || records.length === 0) {
        this.stats.frameBytesTotal += bytes.length
        this.stats.frameBytesMax = Math.max(this.stats.frameBytesMax, bytes.length)
        return bytes
      }
      const kept = records.filter((_, i) => i % 2 === 0)
      dropped += records.length - kept.length
      records = kept
    }
  }

  send(ws: WebSocket, text: string): void {
    if (this.fits(ws, Buffer.byteLength(text))) ws.send(text)
  }

  /** A frame's bytes, as a text message (the protocol's messages are JSON text). */
  private sendFrame(ws: WebSocket, bytes: Buffer): void {
    if (!this.fits(ws, bytes.length)) return
    ws.send(bytes, { binary: false })
    this.stats.framesSent++
  }

  /** Whether `bytes` more may be sent to an open client; a client too slow for them is dropped. */
  private fits(ws: WebSocket, bytes: number): boolean {
    if (ws.readyState !== WebSocket.OPEN) return false
    if (ws.bufferedAmount + bytes > this.sendBufferBytesMax) {
      this.drop(ws, true)
      return false
    }
    return true
  }

  private drop(ws: WebSocket, slow: boolean): void {
    if (this.clients.delete(ws) && slow) this.stats.clientsDropped++
    ws.terminate()
  }

  private receive(ws: WebSocket, bytes: Uint8Array, isBinary: boolean): void {
    const decoded = decodeClientMessage(bytes, isBinary)
    if (!decoded.ok) {
      this.stats.messagesRefused++
      this.send(ws, JSON.stringify(decoded.error))
      return
    }
    const message = decoded.message
    if (message.type === "hello") {
      if (message.protocol === PROTOCOL_VERSION) {
        this.ack(ws, "hello", message.id)
        return
      }
      const text = `this server speaks protocol ${PROTOCOL_VERSION}, not ${message.protocol}`
      this.send(ws, JSON.stringify(errorMessage("version", text, message.id)))
      return
    }
    if (message.type === "window") this.window(ws, message)
    else this.dispatch(ws, message)
  }

  private dispatch(ws: WebSocket, command: Command): void {
    this.session.command(command).then(
      (outcome) => {
        if (!outcome.ok) {
          this.stats.messagesRefused++
          return this.send(ws, JSON.stringify(errorMessage(outcome.code, outcome.message, command.id)))
        }
        this.stats.commandsAccepted++
        if ("detail" in outcome && command.type === "inspect") {
          const records = outcome.detail.slice(0, PROTOCOL_LIMITS.frameRecordsMax)
          const detail = { type: "detail", flow: command.flow, records, ...idOf(command.id) }
          return this.send(ws, JSON.stringify(detail))
        }
        if ("paragraphs" in outcome && command.type === "explain") {
          const paragraphs = outcome.paragraphs.slice(0, 8).map((t) => t.slice(0, 1024))
          const explanation = { type: "explanation", kpi: command.kpi, paragraphs, ...idOf(command.id) }
          return this.send(ws, JSON.stringify(explanation))
        }
        this.ack(ws, command.type, command.id)
      },
      (cause: unknown) => {
        const text = cause instanceof Error ? cause.message : String(cause)
        this.send(ws, JSON.stringify(errorMessage("rejected", `${command.type} failed: ${text}`, command.id)))
      },
    )
  }

  /** A `window` request, answered from the series store. */
  private window(ws: WebSocket, w: Window): void {
    const answer = windowAnswer(this.series, w)
    if (answer.ok) this.stats.commandsAccepted++
    else this.stats.messagesRefused++
    this.send(ws, answer.text)
  }

  private ack(ws: WebSocket, command: string, id: number | undefined): void {
    this.send(ws, JSON.stringify({ type: "ack", command, ...idOf(id) }))
  }
}

const idOf = (id: number | undefined) => (id === undefined ? {} : { id })

/** A span of a series from the store, halving its points until the answer fits the byte bound. */
const windowAnswer = (store: SeriesStore, w: Window): { ok: boolean; text: string } => {
  const refuse = (code: "invalid" | "unknown-series", text: string) => ({
    ok: false,
    text: JSON.stringify(errorMessage(code, text, w.id)),
  })
  if (w.toUs < w.fromUs)
    return refuse("invalid", `window from ${w.fromUs} to ${w.toUs}: toUs is before fromUs`)
  for (let points = w.points; ; points = Math.floor(points / 2)) {
    const data = store.window(w.series, w.fields, w.fromUs, w.toUs, points)
    if (data === null) {
      const fields = w.fields.join(", ")
      return refuse("unknown-series", `no series "${w.series}" with fields [${fields}] on this server`)
    }
    const answer: SeriesWindow = {
      type: "window",
      series: w.series,
      fields: [...data.fields],
      fromUs: w.fromUs,
      toUs: w.toUs,
      t: data.t,
      values: data.values,
      resolution: data.resolution,
      ...idOf(w.id),
    }
    const text = JSON.stringify(answer)
    if (Buffer.byteLength(text) <= PROTOCOL_LIMITS.frameBytesMax || points <= 2) return { ok: true, text }
  }
}

/**
 * The page origins this server answers for: its own, as a browser spells them when the page came
 * from this server (`http://127.0.0.1:PORT`, `http://localhost:PORT`, the bound host), plus any
 * listed. Never derived from the request's Host header: a DNS-rebinding page (attacker.example
 * resolving to 127.0.0.1) sends a matching Host and Origin, both naming the attacker's domain.
 */
export const ownOrigins = (host: string, port: number): ReadonlyArray<string> => {
  const named = host.includes(":") ? `[${host}]` : host
  return [...new Set(["127.0.0.1", "localhost", named].map((h) => `http://${h}:${port}`))]
}

/**
 * Browser pages from this server's own origins only (plus any listed), so a web page elsewhere
 * cannot drive a local run. A client without an Origin header is not a browser page (browsers
 * always send one on a WebSocket handshake), so it is no cross-site risk and may connect.
 */
const originAllowed = (req: IncomingMessage, allowed: ReadonlyArray<string>): boolean => {
  const origin = req.headers.origin
  return origin === undefined || allowed.includes(origin)
}

const listen = (server: Server, port: number, host: string): Promise<number> =>
  new Promise((resolveListen, reject) => {
    const fail = (error: Error) => reject(error)
    server.once("error", fail)
    server.listen(port, host, () => {
      server.removeListener("error", fail)
      resolveListen((server.address() as AddressInfo).port)
    })
  })

/** Binds the port asked for, or, when it is taken and a fallback is allowed, a free one. */
const listenOrFallback = async (server: Server, port: number, host: string, fallback: boolean) => {
  try {
    return await listen(server, port, host)
  } catch (error) {
    if (!fallback || port === 0 || (error as { code?: unknown }).code !== "EADDRINUSE") throw error
    return listen(server, 0, host)
  }
}

const httpServer = (staticDir: string | null): Server =>
  createServer((req, res) => {
    if (staticDir !== null) return void serveStatic(staticDir, req, res)
    res.writeHead(404, { "content-type": "text/plain" }).end("tsm-twin viewer server: ws at /ws\n")
  })

/** The ws endpoint on a listening http server, for the allowed page origins only. */
const attachWebSocket = (http: Server, hub: Hub, allowed: ReadonlyArray<string>): WebSocketServer => {
  const wss = new WebSocketServer({
    server: http,
    path: "/ws",
    maxPayload: PROTOCOL_LIMITS.clientMessageBytesHardMax,
    verifyClient: (info: { req: IncomingMessage }) => originAllowed(info.req, allowed),
  })
  wss.on("connection", (ws) => hub.connect(ws))
  // ws re-emits the http server's errors here (after listening, only rare accept failures); an
  // 'error' event nobody listens to would kill the process and the run with it.
  wss.on("error", () => {})
  return wss
}

export const startViewerServer = async (
  session: RunSession,
  options: ViewerServerOptions,
): Promise<ViewerServer> => {
  const fps = options.framesPerSecond ?? PROTOCOL_LIMITS.framesPerSecondMax
  if (!(fps > 0 && fps <= PROTOCOL_LIMITS.framesPerSecondMax)) throw new RangeError(`framesPerSecond ${fps}`)
  const hub = new Hub(session, options)
  const http = httpServer(options.staticDir ?? null)
  const host = options.host ?? "127.0.0.1"
  const asked = options.port ?? 0
  // Bound before the WebSocketServer is attached: ws re-emits the http server's errors on itself,
  // and a taken port would surface as an unhandled 'error' event there instead of reaching us.
  const port = await listenOrFallback(http, asked, host, options.portFallback ?? false)
  const wss = attachWebSocket(http, hub, [...ownOrigins(host, port), ...(options.allowOrigins ?? [])])
  const unsubscribe = session.records.subscribe((record) => {
    hub.aggregator.add(record)
    if (typeof record.series === "string") hub.series.add(record)
  })
  if (unsubscribe === null) {
    http.close()
    throw new Error("the run's broadcast sink has no room for the viewer server")
  }
  const offReplace = session.onReplace(() => hub.replaced())
  const timer = setInterval(() => hub.tick(), Math.round(1000 / fps))
  const base = `${host.includes(":") ? `[${host}]` : host}:${port}`
  return {
    url: `http://${base}/`,
    wsUrl: `ws://${base}/ws`,
    port,
    portTaken: port !== asked && asked !== 0,
    clientCount: () => hub.clients.size,
    stats: () => ({ ...hub.stats }),
    close: async () => {
      clearInterval(timer)
      unsubscribe()
      offReplace()
      for (const ws of hub.clients) ws.terminate()
      hub.clients.clear()
      await new Promise<void>((done) => wss.close(() => done()))
      await new Promise<void>((done) => http.close(() => done()))
    },
  }
}
