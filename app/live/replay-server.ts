/**
 * `tsm-twin replay`'s server: the built viewer and one recorded run file over plain HTTP on a
 * loopback port, nothing else (no ws, no run): the page plays the file back itself
 * (viewer/src/replay-player.ts) with play, pause, scrub and speed. A taken port falls back to a
 * free one, as the live viewer's does.
 */
import { createReadStream, existsSync, statSync } from "node:fs"
import { createServer, type Server } from "node:http"
import { extname, join, normalize, sep } from "node:path"

const TYPES: Readonly<Record<string, string>> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
}

/** Where the page fetches the run file from. */
export const RUN_FILE_ROUTE = "/run-file"

export interface ReplayServer {
  readonly url: string
  close(): Promise<void>
}

const listen = (server: Server, host: string, port: number): Promise<number> =>
  new Promise((resolve, reject) => {
    const onError = (e: NodeJS.ErrnoException) => {
      server.off("listening", onListening)
      reject(e)
    }
    const onListening = () => {
      server.off("error", onError)
      const address = server.address()
      resolve(typeof address === "object" && address !== null ? address.port : port)
    }
    server.once("error", onError)
    server.once("listening", onListening)
    server.listen(port, host)
  })

export const startReplayServer = async (o: {
  readonly staticDir: string
  readonly runFile: string
  readonly host: string
  readonly port: number
}): Promise<ReplayServer> => {
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? "/", "http://x").pathname
    const file =
      path === RUN_FILE_ROUTE ? o.runFile : normalize(join(o.staticDir, path === "/" ? "index.html" : path))
    if (
      req.method !== "GET" ||
      (file !== o.runFile && !file.startsWith(o.staticDir + sep)) ||
      !existsSync(file) ||
      !statSync(file).isFile()
    ) {
      res.writeHead(404).end("not found")
      return
    }
    const type =
      file === o.runFile ? "application/octet-stream" : (TYPES[extname(file)] ?? "application/octet-stream")
    res.writeHead(200, { "content-type": type, "cache-control": "no-store" })
    createReadStream(file).pipe(res)
  })
  let port: number
  try {
    port = await listen(server, o.host, o.port)
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "EADDRINUSE") throw e
    port = await listen(server, o.host, 0)
  }
  const base = `http://${o.host}:${port}`
  return {
    url: `${base}/?replay=${RUN_FILE_ROUTE}&ws=ws://127.0.0.1:9/none`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  }
}
