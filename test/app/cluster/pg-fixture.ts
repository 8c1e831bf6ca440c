/**
 * A throwaway PostgreSQL for cluster tests: initdb in a temporary directory with its own
 * superuser and a random password (SCRAM), listening on 127.0.0.1 at a free port with its socket
 * in that directory — it never touches a system cluster. initdb refuses to run as root, so under
 * root the server runs as the `postgres` account that Debian's package creates. `stop()` removes
 * everything; `down()`/`up()` stop and restart the server for outage tests.
 */
import { execFileSync, spawnSync } from "node:child_process"
import { randomBytes } from "node:crypto"
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs"
import { createServer } from "node:net"
import { tmpdir } from "node:os"
import { join } from "node:path"

export interface Postgres {
  readonly url: string
  readonly password: string
  readonly port: number
  /** Runs SQL through psql and returns its unaligned output rows. */
  readonly query: (sql: string) => string[]
  readonly down: () => void
  readonly up: () => void
  readonly stop: () => void
}

const binDir = (): string => {
  const root = "/usr/lib/postgresql"
  const versions = existsSync(root) ? readdirSync(root).sort((a, b) => Number(b) - Number(a)) : []
  if (versions.length === 0) throw new Error("PostgreSQL is not installed (apt-get install -y postgresql)")
  return join(root, versions[0]!, "bin")
}

export const freePort = (): Promise<number> =>
  new Promise((resolvePort, reject) => {
    const server = createServer()
    server.once("error", reject)
    server.listen(0, "127.0.0.1", () => {
      const address = server.address()
      server.close(() =>
        typeof address === "object" && address !== null ? resolvePort(address.port) : reject(),
      )
    })
  })

const idsOf = (user: string) => ({
  uid: Number(execFileSync("id", ["-u", user]).toString().trim()),
  gid: Number(execFileSync("id", ["-g", user]).toString().trim()),
})

export const startPostgres = async (): Promise<Postgres> => {
  const bin = binDir()
  const dir = mkdtempSync(join(tmpdir(), "tsm-twin-pg-"))
  const data = join(dir, "data")
  const password = randomBytes(12).toString("hex")
  const port = await freePort()
  const ids = process.getuid?.() === 0 ? idsOf("postgres") : null
  const asUser = ids ?? {}
  writeFileSync(join(dir, "pw"), password)
  if (ids !== null) {
    chownSync(dir, ids.uid, ids.gid)
    chmodSync(dir, 0o700)
    chownSync(join(dir, "pw"), ids.uid, ids.gid)
  }
  const run = (file: string, args: string[]) => {
    const r = spawnSync(join(bin, file), args, { ...asUser, encoding: "utf8", cwd: dir })
    if (r.status !== 0) throw new Error(`${file} failed: ${r.stderr}`)
  }
  run("initdb", ["-D", data, "-U", "twin", `--pwfile=${join(dir, "pw")}`, "-A", "scram-sha-256", "--no-sync"])
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200`
  const up = () => run("pg_ctl", ["-D", data, "-o", options, "-l", join(dir, "log"), "-w", "start"])
  const down = () => run("pg_ctl", ["-D", data, "-m", "fast", "-w", "stop"])
  up()
  const url = `postgres://twin:${password}@127.0.0.1:${port}/postgres`
  const query = (sql: string) =>
    execFileSync(
      "psql",
      ["-At", "-h", "127.0.0.1", "-p", String(port), "-U", "twin", "-d", "postgres", "-c", sql],
      {
        env: { ...process.env, PGPASSWORD: password },
        encoding: "utf8",
      },
    )
      .split("\n")
      .filter((line) => line !== "")
  const stop = () => {
    spawnSync(join(bin, "pg_ctl"), ["-D", data, "-m", "immediate", "-w", "stop"], { ...asUser })
    rmSync(dir, { recursive: true, force: true })
  }
  return { url, password, port, query, down, up, stop }
}
