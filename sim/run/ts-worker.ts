/**
 * Starts a worker thread on a TypeScript module: the one bootstrap of every worker pool in the
 * twin (replications and local sweeps here, a cluster runner's threads in app/cluster).
 *
 * A worker cannot rely on how its parent was started (vitest, `node --import tsx`, the bin
 * wrapper) to load TypeScript: on Node 20.20 `execArgv: ["--import", "tsx"]` failed with "Unknown
 * file extension .ts" (measured), and Node's own type stripping refuses the parameter properties
 * the model uses. So each worker starts from a small JavaScript bootstrap that registers tsx's ESM
 * hooks through its public API and then imports the entry; tsx is a dependency.
 */
import { createRequire } from "node:module"
import { pathToFileURL } from "node:url"
import { Worker, type WorkerOptions } from "node:worker_threads"

const TSX_API = pathToFileURL(createRequire(import.meta.url).resolve("tsx/esm/api")).href.replace(
  /\.cjs$/,
  ".mjs",
)

/** The bootstrap source for `entry` (evaluated as an ES module by the worker). */
const bootstrapOf = (entry: URL): string =>
  `import(${JSON.stringify(TSX_API)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry.href)}) })`

/** A worker running the TypeScript module `entry`; `workerData` and the other options pass through. */
export const startTsWorker = (entry: URL, options: Omit<WorkerOptions, "eval"> = {}): Worker => {
  if (entry.protocol !== "file:")
    throw new RangeError(`a worker entry must be a file: URL, not ${entry.href}`)
  return new Worker(bootstrapOf(entry), { ...options, eval: true })
}
