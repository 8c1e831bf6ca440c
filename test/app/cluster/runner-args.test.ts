// Proves `tsm-twin runner` refuses bad arguments before touching the network, with a message that
// names the flag and never echoes a password: no cluster URL, a URL of the wrong kind, a port or a
// thread count out of range, an empty host. A good set of arguments yields the runner's layer.
import { afterEach, beforeEach, describe, expect, it } from "vitest"
import { runnerFromArgs } from "../../../app/cli/runner-command.ts"
import { CLUSTER_ENV } from "../../../app/cluster/cluster-sweep-cli.ts"

const GOOD = {
  cluster: "postgres://twin:hunter2@127.0.0.1:5432/db",
  host: "127.0.0.1",
  port: 34431,
  workers: 1,
}

describe("tsm-twin runner arguments", () => {
  let saved: string | undefined
  beforeEach(() => {
    saved = process.env[CLUSTER_ENV]
    delete process.env[CLUSTER_ENV]
  })
  afterEach(() => {
    // Restore exactly, unset included: the parallel project shares a fork between files.
    if (saved === undefined) delete process.env[CLUSTER_ENV]
    else process.env[CLUSTER_ENV] = saved
  })

  it("names what is wrong, without the password", () => {
    for (const [args, reason] of [
      [{ ...GOOD, cluster: null }, /--cluster .*is required/],
      [{ ...GOOD, cluster: "mysql://u:hunter2@h/db" }, /--cluster has the scheme mysql:/],
      [{ ...GOOD, port: 0 }, /--port must be 1\.\.65535, not 0/],
      [{ ...GOOD, port: 70_000 }, /--port must be 1\.\.65535/],
      [{ ...GOOD, workers: 0 }, /--workers must be 1\.\.256, not 0/],
      [{ ...GOOD, host: " " }, /--host is empty/],
    ] as const) {
      const r = runnerFromArgs(args)
      expect(r.ok, JSON.stringify(args)).toBe(false)
      if (r.ok) continue
      expect(r.message).toMatch(reason)
      expect(r.message).not.toContain("hunter2")
    }
  })

  it("takes the URL from the environment when --cluster is absent", () => {
    process.env[CLUSTER_ENV] = GOOD.cluster
    expect(runnerFromArgs({ ...GOOD, cluster: null }).ok).toBe(true)
    expect(runnerFromArgs(GOOD).ok).toBe(true)
  })
})
