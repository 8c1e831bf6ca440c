/**
 * The TCP side of `card serve`: one connection to vpcd carrying frames (vpcd-frame.ts) both ways.
 * Two ways to meet, as vpcd's reader.conf offers (vsmartcard ifd-vpcd.c, IFDHCreateChannelByName):
 * - connect: vpcd listens (DEVICENAME /dev/null:PORT, 35963 by default) and the card connects;
 *   when the connection drops (pcscd restarted) the card connects again every `retryMs`;
 * - listen ("reversed mode"): the card listens and vpcd connects (DEVICENAME HOST:PORT).
 * Messages are answered strictly in order, one at a time, as the protocol has no request ids.
 */
import { createServer, type Server, type Socket, connect as tcpConnect } from "node:net"
import { encodeFrame, messageOf, VpcdFrameDecoder, type VpcdMessage } from "./vpcd-frame.ts"

export type VpcdMode = { readonly kind: "connect" | "listen"; readonly host: string; readonly port: number }

export interface VpcdLinkOptions {
  readonly mode: VpcdMode
  readonly respond: (message: VpcdMessage) => Uint8Array | null
  readonly log: (line: string) => void
  /** Pause between connection attempts in connect mode. */
  readonly retryMs?: number
}

export interface VpcdLink {
  /** The port actually listened on (listen mode with port 0 picks one), or the port connected to. */
  readonly port: () => number
  readonly close: () => Promise<void>
}

const DEFAULT_RETRY_MS = 500

/** Feeds one socket's bytes through the decoder and writes each answer back. */
const serveSocket = (socket: Socket, options: VpcdLinkOptions): void => {
  const decoder = new VpcdFrameDecoder()
  socket.setNoDelay(true)
  socket.on("data", (chunk: Buffer) => {
    for (const payload of decoder.push(chunk)) {
      const reply = options.respond(messageOf(payload))
      if (reply !== null) socket.write(encodeFrame(reply))
    }
  })
}

const connectMode = (options: VpcdLinkOptions): VpcdLink => {
  const { host, port } = options.mode
  let closed = false
  let socket: Socket | null = null
  let timer: NodeJS.Timeout | null = null
  let connectedOnce = false
  const attempt = (): void => {
    if (closed) return
    const s = tcpConnect({ host, port })
    socket = s
    s.on("connect", () => {
      connectedOnce = true
      options.log(`connected to vpcd at ${host}:${port}`)
    })
    serveSocket(s, options)
    s.on("error", () => {})
    s.on("close", () => {
      if (closed) return
      if (connectedOnce) options.log(`vpcd at ${host}:${port} closed the connection; reconnecting`)
      connectedOnce = false
      timer = setTimeout(attempt, options.retryMs ?? DEFAULT_RETRY_MS)
    })
  }
  attempt()
  return {
    port: () => port,
    close: async () => {
      closed = true
      if (timer !== null) clearTimeout(timer)
      socket?.destroy()
    },
  }
}

const listenMode = async (options: VpcdLinkOptions): Promise<VpcdLink> => {
  const sockets = new Set<Socket>()
  const server: Server = createServer((socket) => {
    sockets.add(socket)
    options.log(`vpcd connected from ${socket.remoteAddress}:${socket.remotePort}`)
    socket.on("error", () => {})
    socket.on("close", () => {
      sockets.delete(socket)
      options.log("vpcd disconnected; waiting for it again")
    })
    serveSocket(socket, options)
  })
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject)
    server.listen(options.mode.port, options.mode.host, () => resolve())
  })
  const address = server.address()
  const port = typeof address === "object" && address !== null ? address.port : options.mode.port
  options.log(`listening for vpcd on ${options.mode.host}:${port}`)
  return {
    port: () => port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy()
        server.close(() => resolve())
      }),
  }
}

/** Opens the link; in listen mode the promise fails when the port cannot be bound. */
export const openVpcdLink = (options: VpcdLinkOptions): Promise<VpcdLink> =>
  options.mode.kind === "connect" ? Promise.resolve(connectMode(options)) : listenMode(options)
