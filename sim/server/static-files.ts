/**
 * Serves the built viewer (a folder of static files) over plain HTTP. Only GET and HEAD, only files
 * inside the folder (a path that resolves outside it is refused), a fixed small table of content
 * types, and `index.html` for the root.
 */
import { readFile, stat } from "node:fs/promises"
import type { IncomingMessage, ServerResponse } from "node:http"
import { extname, resolve, sep } from "node:path"

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".json": "application/json",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".ndjson": "application/x-ndjson",
}

const URL_CHARS_MAX = 2048

const answer = (res: ServerResponse, status: number, text: string): void => {
  res.writeHead(status, { "content-type": "text/plain; charset=utf-8" })
  res.end(text)
}

/** The absolute file a request path names inside `root`, or null when it lies outside. */
export const fileFor = (root: string, urlPath: string): string | null => {
  let path: string
  try {
    path = decodeURIComponent(urlPath.split("?")[0] ?? "/")
  } catch {
    return null
  }
  if (path.includes("\0")) return null
  const absolute = resolve(root, `.${path.endsWith("/") ? `${path}index.html` : path}`)
  return absolute === root || absolute.startsWith(root + sep) ? absolute : null
}

export const serveStatic = async (root: string, req: IncomingMessage, res: ServerResponse): Promise<void> => {
  if (req.method !== "GET" && req.method !== "HEAD") return answer(res, 405, "method not allowed")
  const url = req.url ?? "/"
  if (url.length > URL_CHARS_MAX) return answer(res, 414, "URI too long")
  const file = fileFor(resolve(root), url)
  if (file === null) return answer(res, 404, "not found")
  try {
    const info = await stat(file)
    if (!info.isFile()) return answer(res, 404, "not found")
    const body = await readFile(file)
    res.writeHead(200, {
      "content-type": CONTENT_TYPES[extname(file)] ?? "application/octet-stream",
      "content-length": body.length,
      "cache-control": "no-cache",
    })
    res.end(req.method === "HEAD" ? undefined : body)
  } catch {
    answer(res, 404, "not found")
  }
}
