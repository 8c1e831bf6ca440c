// Test helper: starts `tsm-twin run FILE --out OUT` in its own process, waits for its first
// progress line (the world is built and the run loop goes), sends SIGINT and reports the exit
// code, the wall time from the signal to the exit, and stderr. The signal tests of each run kind
// assert on what it returns.
import { spawn } from "node:child_process"
import { join, resolve } from "node:path"

const ROOT = resolve(import.meta.dirname, "../../..")

export interface Interrupted {
  /** The child's exit code, or null if it was still running when the first progress line came. */
  readonly code: number | null
  /** Still running when the signal was sent (a run that ends first cannot show the signal path). */
  readonly runningAtSignal: boolean
  readonly signalToExitMs: number
  readonly stderr: string
}

export const interruptRun = async (scenario: string, out: string): Promise<Interrupted> => {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", join(ROOT, "app/cli/main.ts"), "run", scenario, "--out", out],
    { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] },
  )
  let stderr = ""
  child.stdout.on("data", () => {})
  child.stderr.on("data", (d: Buffer) => {
    stderr += String(d)
  })
  const ended = new Promise<number | null>((done) => child.on("exit", (code) => done(code)))
  while (!/\d+%/.test(stderr) && child.exitCode === null) await new Promise((r) => setTimeout(r, 50))
  const runningAtSignal = child.exitCode === null
  const sentAt = Date.now()
  child.kill("SIGINT")
  const code = await ended
  return { code, runningAtSignal, signalToExitMs: Date.now() - sentAt, stderr }
}
