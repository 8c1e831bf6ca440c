// Proves the twin's host side on PC/SC end to end: against `card serve --content empty` behind a
// real pcscd + vpcd, `card personalize` runs the TSM's GP issuance of PBOC through the npm binding
// and `card pay` an online purchase whose ARQC the issuer host verifies, approved with a TC. Pay
// with another seed's issuer keys and the ARQC does not verify (declined, exit 1); bad flags and an
// unknown reader exit 2 naming what is wrong.
import { mkdtempSync, readFileSync } from "node:fs"
import { createServer } from "node:net"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import {
  freePortPair,
  type Pcscd,
  READER,
  type Served,
  startPcscd,
  startServe,
  tsmTwin,
} from "./pcsc-stack.ts"

const SEED = 7
let pcscd: Pcscd
let served: Served
const dir = mkdtempSync(join(tmpdir(), "pcsc-loop-"))

beforeAll(async () => {
  const port = await freePortPair()
  pcscd = await startPcscd(dir, "/dev/null", port)
  served = await startServe(dir, "serve", [
    "--content",
    "empty",
    "--keys",
    "test",
    "--seed",
    String(SEED),
    "--vpcd",
    `127.0.0.1:${port}`,
  ])
}, 180_000)

afterAll(async () => {
  await served?.stop()
  await pcscd?.stop()
}, 30_000)

describe("card personalize + card pay through pcscd against card serve", () => {
  it("personalizes, then pays 300 yuan online: the issuer host verifies the ARQC, the card gives a TC", async () => {
    const perso = await tsmTwin(
      ["card", "personalize", "--reader", READER, "--keys", "test", "--seed", String(SEED)],
      pcscd.env,
    )
    expect(perso.code, perso.stdout + perso.stderr).toBe(0)
    expect(perso.stdout).toContain("ATR 3B9F95801FC78031E073FE211B63E208A8830F9000, NFC-SIM (SCP02)")
    expect(perso.stdout.match(/ ok {3}/g)?.length).toBe(7)
    expect(perso.stdout).toContain("personalized: PAN 6230520000000001")
    // The card itself saw the STORE DATA commands (its own log, not the host's word).
    expect(readFileSync(served.log, "utf8").match(/store-data #\d+ c: 84E2/g)?.length).toBe(8)

    const pay = await tsmTwin(
      ["card", "pay", "--reader", READER, "--amount", "300", "--seed", String(SEED)],
      pcscd.env,
    )
    expect(pay.code, pay.stdout + pay.stderr).toBe(0)
    const verified = /issuer host: PAN 6230520000000001, ATC (\d+), ARQC ([0-9A-F]{16}) verified/.exec(
      pay.stdout,
    )
    expect(verified, pay.stdout).not.toBeNull()
    expect(pay.stdout).toMatch(new RegExp(`approved online: ARQC ${verified![2]}, TC [0-9A-F]{16}`))
    // The ARQC left the card inside GENERATE AC's response (9F26), as the card's log shows.
    expect(readFileSync(served.log, "utf8")).toContain(`9F2608${verified![2]}`)

    const wrongIssuer = await tsmTwin(
      ["card", "pay", "--reader", READER, "--amount", "12.34", "--seed", String(SEED + 1)],
      pcscd.env,
    )
    expect(wrongIssuer.code, wrongIssuer.stdout + wrongIssuer.stderr).toBe(1)
    expect(wrongIssuer.stdout).toMatch(/ARQC [0-9A-F]{16} does NOT verify/)
    expect(wrongIssuer.stdout).not.toContain("approved online")
  }, 300_000)

  it("exits 2 naming the flag for a bad amount or power cut, an address in use, and an unknown reader", async () => {
    const busy = createServer()
    await new Promise<void>((r) => busy.listen(0, "127.0.0.1", () => r()))
    const busyPort = (busy.address() as { port: number }).port
    const [cut, listen, amount, reader] = await Promise.all([
      tsmTwin(["card", "serve", "--power-cut", "0:1"]),
      tsmTwin(["card", "serve", "--listen", "--vpcd", `127.0.0.1:${busyPort}`]),
      tsmTwin(["card", "pay", "--reader", READER, "--amount", "-3"], pcscd.env),
      tsmTwin(["card", "personalize", "--reader", "No Such Reader"], pcscd.env),
    ])
    busy.close()
    expect(cut.code).toBe(2)
    expect(cut.stderr).toContain("--power-cut must be N:W")
    expect(listen.code).toBe(2)
    expect(listen.stderr).toContain(`cannot listen on 127.0.0.1:${busyPort}`)
    expect(amount.code).toBe(2)
    expect(amount.stderr).toContain("--amount must be yuan")
    expect(reader.code).toBe(2)
    expect(reader.stderr).toContain('no reader named "No Such Reader"')
    expect(reader.stderr).toContain(READER)
    expect(reader.stderr).not.toMatch(/\n\s+at /)
  }, 240_000)
})
