/**
 * `npm run bench:viewer-recording`: the compact recording (issue [viewer] Build 6: "a compact
 * recording (binary or compressed, ≤ 10 MB for a 0.1× run)"). 04-pilot-plan at
 * BENCH_VIEWER_RECORDING_SCALE (default 0.1) runs live as fast as possible, recorded the way
 * `tsm-twin view --record run.ndjson.gz` records it (the viewer session's gzip run file: every
 * record the viewer is sent, the run config, injections and the end line). Prints the compressed
 * size against the 10 MB budget (10,000,000 bytes) with "met"/"missed", beside the plain NDJSON
 * size, the lines and the record kinds that take the most bytes; and checks the file is what the
 * replay reads — one gzip member whose last line is the run's end with the live run's digest.
 * Figures, not assertions.
 */
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs"
import { loadavg, tmpdir } from "node:os"
import { join } from "node:path"
import { performance } from "node:perf_hooks"
import { gunzipSync } from "node:zlib"
import { makeViewerSession } from "../app/live/viewer-session.ts"
import { printLine } from "./measure.ts"

const SCENARIO = "04-pilot-plan"
const SCALE = Number(process.env.BENCH_VIEWER_RECORDING_SCALE ?? 0.1)
const BUDGET_BYTES = 10_000_000
const MIB = 2 ** 20

const dir = mkdtempSync(join(tmpdir(), "viewer-recording-"))
const path = join(dir, "run.ndjson.gz")
const load = () => loadavg().map((x) => Number(x.toFixed(1)))

try {
  printLine({ bench: "viewer-recording", scenario: SCENARIO, scale: SCALE, loadAverage: load() })
  const t0 = performance.now()
  const session = makeViewerSession({ scenario: SCENARIO, scale: SCALE, speed: null, recordPath: path })
  await session.finished()
  const digest = session.digest()
  await session.close()
  const compressed = statSync(path).size
  const plain = gunzipSync(readFileSync(path))
  const lines = plain.toString("utf8").trimEnd().split("\n")
  const end = JSON.parse(lines.at(-1)!) as { type?: string; digest?: string }
  // Bytes by what a line is: a signal, a series, or the header and end lines.
  const bytesBy = new Map<string, number>()
  for (const line of lines) {
    const r = JSON.parse(line) as { signal?: string; series?: string; type?: string }
    const kind = r.signal ?? (r.series === undefined ? (r.type ?? "other") : `series:${r.series}`)
    bytesBy.set(kind, (bytesBy.get(kind) ?? 0) + line.length + 1)
  }
  const largest = [...bytesBy]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 6)
    .map(([kind, bytes]) => `${kind} ${(bytes / MIB).toFixed(1)} MiB`)
  printLine({
    bench: "viewer-recording",
    scenario: SCENARIO,
    scale: SCALE,
    compressedBytes: compressed,
    compressedMiB: Number((compressed / MIB).toFixed(2)),
    budgetBytes: BUDGET_BYTES,
    verdict: compressed <= BUDGET_BYTES ? "met" : "missed",
    plainMiB: Number((plain.length / MIB).toFixed(1)),
    ratio: Number((plain.length / compressed).toFixed(1)),
    lines: lines.length,
    largest,
    endLine:
      end.type === "end" && end.digest === digest ? "the run's end, same digest" : "MISSING or different",
    wallS: Math.round((performance.now() - t0) / 1000),
    loadAverage: load(),
  })
} finally {
  rmSync(dir, { recursive: true, force: true })
}
