/** Reads a recorded run file, plain NDJSON or gzip-compressed (`--record run.ndjson.gz`). */
import { readFileSync } from "node:fs"
import { gunzipSync } from "node:zlib"

export const readRunFile = (path: string): string => {
  const bytes = readFileSync(path)
  return (bytes[0] === 0x1f && bytes[1] === 0x8b ? gunzipSync(bytes) : bytes).toString("utf8")
}
