/**
 * Runner processes for cluster tests: `tsm-twin runner` started through node + tsx (not the bin
 * wrapper, so a signal reaches the runner itself), with the cluster URL in TSM_TWIN_CLUSTER so the
 * password is not on any command line. Output is kept so a test can check what was logged.
 */
import { type ChildProcess, spawn } from "node:child_process"
import { resolve } from "node:path"

const ROOT = resolve(import.meta.dirname, "../../..")

export interface CliProcess {
  readonly child: ChildProcess
  /** Everything written to stdout and stderr so far. */
  output: () => string
  /** Resolves when the output matches, rejects when the process exits first or after timeoutMs. */
  waitFor: (pattern: RegExp, timeoutMs: number) => Promise<RegExpMatchArray>
  /** Resolves with the exit code (or signal name) once the process has ended. */
  exited: Promise<number | string>
}

export const startCli = (args: ReadonlyArray<string>, clusterUrl: string): CliProcess => {
  const child = spawn(process.execPath, ["--import", "tsx", resolve(ROOT, "app/cli/main.ts"), ...args], {
    cwd: ROOT,
    env: { ...process.env, TSM_TWIN_CLUSTER: clusterUrl },
    stdio: ["ignore", "pipe", "pipe"],
  })
  let text = ""
  child.stdout?.on("data", (chunk: Buffer) => (text += chunk.toString()))
  child.stderr?.on("data", (chunk: Buffer) => (text += chunk.toString()))
  const exited = new Promise<number | string>((done) =>
    child.once("exit", (code, signal) => done(code ?? signal ?? "unknown")),
  )
  const waitFor = (pattern: RegExp, timeoutMs: number) =>
    new Promise<RegExpMatchArray>((done, fail) => {
      const started = Date.now()
      const look = () => {
        const m = text.match(pattern)
        if (m !== null) return done(m)
        if (child.exitCode !== null || child.signalCode !== null)
          return fail(new Error(`process ended before ${pattern}:\n${text}`))
        if (Date.now() - started > timeoutMs)
          return fail(new Error(`no ${pattern} within ${timeoutMs} ms:\n${text}`))
        setTimeout(look, 100)
      }
      look()
    })
  return { child, output: () => text, waitFor, exited }
}

/** A runner on 127.0.0.1:port with one worker thread, resolved once it has joined. */
export const startRunner = async (port: number, clusterUrl: string): Promise<CliProcess> => {
  const runner = startCli(
    ["runner", "--host", "127.0.0.1", "--port", String(port), "--workers", "1"],
    clusterUrl,
  )
  await runner.waitFor(/joined the cluster/, 180_000)
  return runner
}
