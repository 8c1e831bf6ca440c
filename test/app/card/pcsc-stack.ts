/**
 * The real PC/SC stack for the card tests, owned by the test: its own pcscd (foreground) with
 * vsmartcard's vpcd driver on a private port, and `tsm-twin card serve` processes. The system
 * pcscd is never touched:
 * - pcscd 1.9.9 ignores PCSCLITE_CSOCK_NAME for its own socket (always /run/pcscd/pcscd.comm, checked
 *   on this version), while clients (libpcsclite, so pcsc_scan, opensc-tool, pyscard and the npm
 *   binding) honour it. So pcscd runs in a private mount namespace where a folder of the test is
 *   bind-mounted on /run/pcscd; its socket then lives in that folder and clients are pointed at it.
 * - `--config DIR` makes pcscd read only the test's reader.conf.d (vpcd, DEVICENAME /dev/null:PORT
 *   for connect mode, 127.0.0.1:PORT for reversed mode).
 * Every process starts in its own process group and is stopped by group, so nothing outlives the
 * test, even on failure (the `stop` functions are registered with afterAll, and on process exit).
 */
import { type ChildProcess, execFile, spawn } from "node:child_process"
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs"
import { createServer } from "node:net"
import { join, resolve } from "node:path"

export const ROOT = resolve(import.meta.dirname, "../../..")
export const READER = "Virtual PCD 00 00"
/** Generous: on a loaded 2-core machine a tsx start alone has taken 20 s. */
const WAIT_MS = 150_000

const groups = new Set<number>()
const killAll = (): void => {
  for (const pid of groups) killGroup(pid, "SIGKILL")
  groups.clear()
}
process.once("exit", killAll)
// When vitest itself is stopped (a CI timeout, Ctrl-C, a killed main process) its fork workers get a
// signal or lose their IPC channel before any afterAll runs: the groups must not outlive them.
process.once("disconnect", killAll)
for (const signal of ["SIGTERM", "SIGINT", "SIGHUP"] as const)
  process.once(signal, () => {
    killAll()
    process.exit(1)
  })

const killGroup = (pid: number, signal: NodeJS.Signals): void => {
  try {
    process.kill(-pid, signal)
  } catch {
    // already gone
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** Starts `command` in its own process group; `stop` ends the group and waits for the exit. */
const startGroup = (
  command: string,
  args: ReadonlyArray<string>,
  logFile: string,
  env?: NodeJS.ProcessEnv,
) => {
  writeFileSync(logFile, "")
  const child: ChildProcess = spawn(command, args, {
    detached: true,
    stdio: ["ignore", "ignore", "pipe"],
    env: { ...process.env, ...env },
    cwd: ROOT,
  })
  const pid = child.pid
  if (pid === undefined) throw new Error(`${command} did not start`)
  groups.add(pid)
  let stderr = ""
  child.stderr?.on("data", (d: Buffer) => {
    stderr += d.toString()
  })
  const exited = new Promise<void>((r) => child.once("exit", () => r()))
  const stop = async () => {
    killGroup(pid, "SIGTERM")
    const done = await Promise.race([exited.then(() => true), sleep(5_000).then(() => false)])
    if (!done) killGroup(pid, "SIGKILL")
    groups.delete(pid)
  }
  return { child, stop, stderr: () => stderr }
}

/** Polls `file` until `pattern` matches its text. */
export const waitForLine = async (file: string, pattern: RegExp, what: string, stderr = () => "") => {
  const until = Date.now() + WAIT_MS
  while (Date.now() < until) {
    const text = existsSync(file) ? readFileSync(file, "utf8") : ""
    if (pattern.test(text)) return text
    await sleep(200)
  }
  throw new Error(`${what}: ${pattern} did not appear in ${file} within ${WAIT_MS / 1000} s\n${stderr()}`)
}

/** Two consecutive free TCP ports (vpcd opens one per slot: PORT and PORT+1). */
export const freePortPair = async (): Promise<number> => {
  const bindable = (port: number) =>
    new Promise<boolean>((r) => {
      const s = createServer()
      s.once("error", () => r(false))
      s.listen(port, "0.0.0.0", () => s.close(() => r(true)))
    })
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = 20_000 + Math.floor(Math.random() * 40_000)
    if ((await bindable(port)) && (await bindable(port + 1))) return port
  }
  throw new Error("no two consecutive free ports")
}

export interface Pcscd {
  /** The environment a PC/SC client needs to reach this pcscd. */
  readonly env: { readonly PCSCLITE_CSOCK_NAME: string }
  readonly stop: () => Promise<void>
}

/** pcscd with vpcd: DEVICENAME `/dev/null:PORT` (vpcd listens) or `HOST:PORT` (reversed mode). */
export const startPcscd = async (dir: string, deviceName: string, port: number): Promise<Pcscd> => {
  const conf = join(dir, "reader.conf.d")
  const run = join(dir, "run")
  mkdirSync(conf, { recursive: true })
  mkdirSync(run, { recursive: true })
  mkdirSync("/run/pcscd", { recursive: true })
  const hexPort = `0x${port.toString(16).toUpperCase()}`
  writeFileSync(
    join(conf, "vpcd"),
    `FRIENDLYNAME "Virtual PCD"\nDEVICENAME   ${deviceName}:${hexPort}\nLIBPATH      /usr/lib/pcsc/drivers/serial/libifdvpcd.so\nCHANNELID    ${hexPort}\n`,
  )
  const script = `mount --bind '${run}' /run/pcscd && exec pcscd --foreground --config '${conf}'`
  const log = join(dir, "pcscd.log")
  const group = startGroup("unshare", ["--mount", "--propagation", "private", "sh", "-c", script], log)
  const socket = join(run, "pcscd.comm")
  const until = Date.now() + WAIT_MS
  while (!existsSync(socket)) {
    if (Date.now() > until || group.child.exitCode !== null) {
      await group.stop()
      throw new Error(`pcscd did not start: ${group.stderr()}`)
    }
    await sleep(100)
  }
  return { env: { PCSCLITE_CSOCK_NAME: socket }, stop: group.stop }
}

export interface Served {
  readonly log: string
  readonly stop: () => Promise<void>
}

/** `tsm-twin card serve ARGS --log LOG`, run by node + tsx directly (one process, one group). */
export const startServe = async (
  dir: string,
  name: string,
  args: ReadonlyArray<string>,
  ready = /connected to vpcd|listening for vpcd/,
): Promise<Served> => {
  const log = join(dir, `${name}.log`)
  const group = startGroup(
    process.execPath,
    ["--import", "tsx", join(ROOT, "app/cli/main.ts"), "card", "serve", ...args, "--log", log],
    join(dir, `${name}.stdout`),
  )
  try {
    await waitForLine(log, ready, `card serve ${name}`, group.stderr)
  } catch (error) {
    await group.stop()
    throw error
  }
  return { log, stop: group.stop }
}

export interface Ran {
  readonly code: number
  readonly stdout: string
  readonly stderr: string
}

/** Runs a client to completion without blocking the event loop. */
export const run = (
  command: string,
  args: ReadonlyArray<string>,
  env: NodeJS.ProcessEnv = {},
): Promise<Ran> =>
  new Promise((r) => {
    execFile(
      command,
      args,
      { env: { ...process.env, ...env }, cwd: ROOT, timeout: WAIT_MS, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === "number" ? error.code : -1
        r({ code, stdout, stderr })
      },
    )
  })

/** The twin's CLI (node + tsx, as bin/tsm-twin.mjs runs it). */
export const tsmTwin = (args: ReadonlyArray<string>, env: NodeJS.ProcessEnv = {}) =>
  run(process.execPath, ["--import", "tsx", join(ROOT, "app/cli/main.ts"), ...args], env)
