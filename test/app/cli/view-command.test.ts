// Proves `tsm-twin view` survives a taken port: with its port held by another server it says so,
// serves the viewer on a free port whose page answers, and Ctrl-C (SIGINT) ends it with exit 130
// (the server and the run are freed on the way out); a host it cannot bind is exit 2 naming --host.
import { spawn, spawnSync } from "node:child_process"
import { createServer } from "node:net"
import { resolve } from "node:path"
import { describe, expect, it } from "vitest"

const ROOT = resolve(import.meta.dirname, "../../..")

describe("tsm-twin view", () => {
  it("falls back from a taken port, prints a working URL, exits 130 on SIGINT", async () => {
    const holder = createServer()
    await new Promise<void>((done) => holder.listen(0, "127.0.0.1", done))
    const taken = (holder.address() as { port: number }).port
    const child = spawn(
      process.execPath,
      ["bin/tsm-twin.mjs", "view", "--port", String(taken), "--scale", "0.002"],
      { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] },
    )
    let out = ""
    for (const stream of [child.stdout, child.stderr]) stream.on("data", (d: Buffer) => (out += String(d)))
    const ended = new Promise<number | null>((done) => child.on("exit", (code) => done(code)))
    let url: string | undefined
    while (url === undefined && child.exitCode === null) {
      await new Promise((done) => setTimeout(done, 50))
      url = /viewer: (http:\/\/127\.0\.0\.1:\d+\/)/.exec(out)?.[1]
    }
    try {
      expect(out).toContain(`port ${taken} is taken; serving on `)
      expect(url).toBeDefined()
      expect(url).not.toBe(`http://127.0.0.1:${taken}/`)
      expect((await fetch(url!)).status).toBe(200)
      child.kill("SIGINT")
      expect(await ended).toBe(130)
    } finally {
      child.kill("SIGKILL")
      holder.close()
    }
  }, 90_000)

  it("exits 2 naming --host when it cannot bind the host", () => {
    const r = spawnSync(
      process.execPath,
      ["bin/tsm-twin.mjs", "view", "--host", "203.0.113.9", "--scale", "0.002"],
      { cwd: ROOT, encoding: "utf8", timeout: 80_000 },
    )
    expect(r.status).toBe(2)
    expect(r.stderr.trim()).toMatch(
      /^tsm-twin view: 1 error\n\s+- at --host: cannot serve on 203\.0\.113\.9:8730: listen EADDRNOTAVAIL/,
    )
    expect(r.stderr).not.toMatch(/\n\s+at /)
  }, 90_000)
})
