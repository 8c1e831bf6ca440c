// Test helper: starts `tsm-twin run FILE --out OUT` in its own process, waits for its first
// progress line (the world is built and the run loop goes), sends SIGINT and reports the exit
// code, the wall time from the signal to the exit, and stderr; `expectInterruptedFolder` holds
// what every run kind's signal test asserts on that and on the run folder.
import { spawn } from "node:child_process"
import { existsSync, readFileSync } from "node:fs"
import { join, resolve } from "node:path"
import { expect } from "vitest"

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

/**
 * What a SIGINT must leave, whatever the run kind (issue #11 item 6): the run was going, the
 * process ended within 2 s with exit 130 and said so, and the run folder is finished as
 * `interrupted`, with no digest and a report. Returns summary.json for the kind's own checks.
 */
export const expectInterruptedFolder = (r: Interrupted, out: string): Record<string, unknown> => {
  expect(r.runningAtSignal, r.stderr).toBe(true)
  expect(r.signalToExitMs).toBeLessThan(2000)
  expect(r.code, r.stderr).toBe(130)
  expect(r.stderr).toMatch(/interrupted on \d{4}-\d\d-\d\d: partial report/)
  const summary = JSON.parse(readFileSync(join(out, "summary.json"), "utf8")) as Record<string, unknown>
  expect(summary.status).toBe("interrupted")
  expect(summary.digest).toBeNull()
  expect(existsSync(join(out, "report.html"))).toBe(true)
  return summary
}
