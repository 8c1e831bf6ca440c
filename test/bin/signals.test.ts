// Proves a run stops cleanly on a signal: SIGINT to `npx tsm-twin run …`'s process group (what
// Ctrl-C does) ends the whole tree within 2 s, the CLI exits 130 and leaves summary.json with
// status "interrupted" beside a complete partial report; SIGTERM to the CLI alone exits 143; and
// `timeout` (which signals its child's group) leaves no process behind and no "complete" later;
// `npm start`'s watched run stops the same way.
import { type ChildProcess, execFileSync, spawn } from "node:child_process"
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join, resolve } from "node:path"
import { afterAll, describe, expect, it } from "vitest"

const ROOT = resolve(import.meta.dirname, "../..")
const dir = mkdtempSync(join(tmpdir(), "tsm-signals-"))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const RUN = ["run", "scenarios/04-pilot-plan.json", "--scale", "0.05"]

/**
 * Live pids still in a process group (empty when the whole tree is gone). A zombie (state Z) has
 * exited and only waits for its new parent, init, to collect its status, so it does not count.
 */
const groupPids = (pgid: number): number[] => {
  try {
    return execFileSync("ps", ["-o", "pid=,stat=", "-g", String(pgid)], { encoding: "utf8" })
      .split("\n")
      .map((l) => l.trim().split(/\s+/))
      .filter(([pid, stat]) => Number(pid) > 0 && !stat!.startsWith("Z"))
      .map(([pid]) => Number(pid))
  } catch {
    return [] // ps exits 1 when it lists nothing
  }
}

interface Ended {
  readonly code: number | null
  readonly signal: NodeJS.Signals | null
  readonly stderr: string
}

const start = (command: string, args: ReadonlyArray<string>) => {
  const child = spawn(command, args, { cwd: ROOT, detached: true, stdio: ["ignore", "pipe", "pipe"] })
  let stderr = ""
  child.stdout!.on("data", () => {})
  child.stderr!.on("data", (d: Buffer) => {
    stderr += String(d)
  })
  const ended = new Promise<Ended>((done) =>
    child.on("exit", (code, signal) => done({ code, signal, stderr })),
  )
  /**
   * Resolves once the world is built and the run loop goes: its first progress line (day 1). A
   * signal during the world's construction (one synchronous step, ~2 s here) is answered after it.
   */
  const running = new Promise<void>((done) => {
    const poll = setInterval(() => {
      if (/\d+%/.test(stderr) || child.exitCode !== null) {
        clearInterval(poll)
        done()
      }
    }, 50)
  })
  return { child, ended, running }
}

const summaryOf = (out: string) => JSON.parse(readFileSync(join(out, "summary.json"), "utf8"))

/**
 * The exit of the spawned process and the time until its whole process group is gone (a wrapper
 * such as npm may exit a moment before the CLI under it has written its folder and exited).
 */
const afterExit = async (child: ChildProcess, ended: Promise<Ended>, sentAt: number) => {
  const end = await ended
  while (groupPids(child.pid!).length > 0 && Date.now() - sentAt < 5000)
    await new Promise((done) => setTimeout(done, 20))
  return { ...end, wallMs: Date.now() - sentAt, left: groupPids(child.pid!) }
}

describe("signals", () => {
  it("SIGINT to npx tsm-twin run's group ends the tree within 2 s, exit 130, status interrupted", async () => {
    const out = join(dir, "sigint")
    const { child, ended, running } = start("npx", ["tsm-twin", ...RUN, "--out", out])
    await running
    expect(summaryOf(out).status).toBe("running")
    const sentAt = Date.now()
    process.kill(-child.pid!, "SIGINT")
    const end = await afterExit(child, ended, sentAt)
    expect(end.wallMs).toBeLessThan(2000)
    expect(end.left).toEqual([])
    // npm exec dies of the SIGINT it got itself once its child is gone; a shell reports both as 130.
    expect(end.code === 130 || end.signal === "SIGINT").toBe(true)
    expect(end.stderr).toMatch(/interrupted on \d{4}-\d\d-\d\d: partial report/)
    const summary = summaryOf(out)
    expect(summary.status).toBe("interrupted")
    expect(summary.simulated.to < "2017-07-31").toBe(true)
    expect(Object.keys(summary.invariants).length).toBeGreaterThan(0)
    for (const file of ["report.html", "phase-kpis.csv", "utilisation.csv"])
      expect(existsSync(join(out, file))).toBe(true)
    expect(readFileSync(join(out, "report.html"), "utf8")).toContain("interrupted")
  }, 90_000)

  it("the CLI itself exits 130 on SIGINT and 143 on SIGTERM", async () => {
    for (const [signal, code] of [
      ["SIGINT", 130],
      ["SIGTERM", 143],
    ] as const) {
      const out = join(dir, signal)
      const { child, ended, running } = start(process.execPath, ["bin/tsm-twin.mjs", ...RUN, "--out", out])
      await running
      const sentAt = Date.now()
      child.kill(signal)
      const end = await afterExit(child, ended, sentAt)
      expect(end.wallMs).toBeLessThan(2000)
      expect(end.code).toBe(code)
      expect(end.left).toEqual([])
      expect(summaryOf(out).status).toBe("interrupted")
    }
  }, 120_000)

  it("npm start's watched run stops on SIGTERM with exit 143 and an interrupted folder", async () => {
    const out = join(ROOT, "out", "runs", "04-pilot-plan-start-0.05")
    rmSync(out, { recursive: true, force: true })
    const child = spawn(process.execPath, ["--import", "tsx", "app/cli/watched-start.ts"], {
      cwd: ROOT,
      env: { ...process.env, TSM_TWIN_START_SCALE: "0.05", TSM_TWIN_PORT: "0" },
      stdio: ["ignore", "pipe", "pipe"],
    })
    let text = ""
    for (const stream of [child.stdout, child.stderr]) stream.on("data", (d: Buffer) => (text += String(d)))
    const ended = new Promise<number | null>((done) => child.on("exit", (code) => done(code)))
    while (!/\d+%/.test(text) && child.exitCode === null) await new Promise((done) => setTimeout(done, 50))
    const sentAt = Date.now()
    child.kill("SIGTERM")
    expect(await ended).toBe(143)
    expect(Date.now() - sentAt).toBeLessThan(2000)
    expect(text).toContain("interrupted: partial report")
    expect(summaryOf(out).status).toBe("interrupted")
  }, 90_000)

  it("`timeout` leaves no process behind, and nothing writes 'complete' afterwards", async () => {
    const out = join(dir, "timeout")
    // On expiry, or on a SIGTERM of its own, timeout signals its child and then the child's whole
    // process group (coreutils timeout.c); the SIGTERM here stands for the expiry without racing
    // the loader's start-up time on a busy machine.
    const { child, ended, running } = start("timeout", ["600", "npx", "tsm-twin", ...RUN, "--out", out])
    await running
    const sentAt = Date.now()
    child.kill("SIGTERM")
    const end = await afterExit(child, ended, sentAt)
    expect(end.wallMs).toBeLessThan(2000)
    expect(end.left).toEqual([])
    await new Promise((done) => setTimeout(done, 1500))
    expect(groupPids(child.pid!)).toEqual([])
    expect(summaryOf(out).status).toBe("interrupted")
  }, 90_000)
})
