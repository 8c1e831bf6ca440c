// Proves that a power cut in the middle of a STORE DATA leaves the served card in the before- or
// the after-state of that command, never between: the card loses power right after NVM write W of
// the N-th STORE DATA (the page journal's tearing hook), vpcd powers it off and on, and the
// committed image after power-on equals the image before the command (W before the commit mark) or
// after it (W = the commit mark). In process, every write index of the command is tried, and the
// torn image before recovery is shown to differ from both (so the check can fail); through a real
// pcscd, `card personalize` is cut and pyscard power-cycles the card (SCARD_UNPOWER_CARD).
import { mkdtempSync, readFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { cardKeys } from "../../../app/card/card-keys.ts"
import { contextOnCard, issuePboc } from "../../../app/card/pboc-issuance.ts"
import { type PowerCut, serveCard } from "../../../app/card/served-card.ts"
import { VpcdControl } from "../../../app/card/vpcd-frame.ts"
import type { SimulatedCard } from "../../../model/card/card.ts"
import { NFC_SIM } from "../../../model/card/profile.ts"
import { nativeCrypto } from "../../../model/crypto/native-crypto.ts"
import { recordingCard } from "../../../model/host/card-story/recording-card.ts"
import { freePortPair, type Pcscd, READER, ROOT, run, startPcscd, startServe, tsmTwin } from "./pcsc-stack.ts"

const SEED = 11
const STORE_DATA = 5
const keys = cardKeys(nativeCrypto, NFC_SIM, SEED, "test")

/** Runs the TSM's issuance on a served empty card in process, through vpcd messages; its log lines. */
const personalizeInProcess = (powerCut: PowerCut | null): string[] => {
  const lines: string[] = []
  const served = serveCard({
    profile: NFC_SIM,
    content: "empty",
    keys,
    seed: SEED,
    crypto: nativeCrypto,
    powerCut,
    log: (line) => lines.push(line),
    clockUs: () => 0,
  })
  const powerOn = () => served.respond({ kind: "control", code: VpcdControl.powerOn })
  powerOn()
  const card: SimulatedCard = {
    reset: () => {
      powerOn()
      return served.atr
    },
    transmit: (command) => served.respond({ kind: "apdu", command })!,
    image: () => new Uint8Array(0),
    tearAfterWrite: () => {},
    writeCount: () => 0,
  }
  issuePboc(contextOnCard(nativeCrypto, NFC_SIM, SEED, keys, recordingCard(card)), keys)
  served.respond({ kind: "control", code: VpcdControl.powerOff })
  powerOn()
  return lines
}

const nvmOf = (line: string) => /nvm: ([0-9a-f]{16})/.exec(line)![1]!

/** Before- and after-digest of the N-th STORE DATA, and how many NVM writes it made, from a clean run. */
const reference = (() => {
  const lines = personalizeInProcess(null)
  const at = lines.findIndex((l) => l.includes(`store-data #${STORE_DATA} `))
  const previous = lines.slice(0, at).findLast((l) => / nvm: /.test(l))!
  return {
    before: nvmOf(previous),
    after: nvmOf(lines[at]!),
    writes: Number(/writes: (\d+)/.exec(lines[at]!)![1]),
  }
})()

/** The committed image digest after the first power-on that follows the cut. */
const digestAfterPowerOn = (lines: ReadonlyArray<string>): { torn: string; recovered: string } => {
  const cut = lines.findIndex((l) => l.startsWith("power cut after NVM write"))
  expect(cut, lines.join("\n")).toBeGreaterThan(0)
  const powerOn = lines.slice(cut).find((l) => l.startsWith("power on"))
  expect(powerOn, lines.slice(cut).join("\n")).toBeDefined()
  return { torn: nvmOf(lines[cut - 1]!), recovered: nvmOf(powerOn!) }
}

describe("a power cut mid STORE DATA (in process, every write index)", () => {
  it("the command changes the image, in more than two writes (begin, pages, commit)", () => {
    expect(reference.before).not.toBe(reference.after)
    expect(reference.writes).toBeGreaterThanOrEqual(3)
  })

  it("recovers the before-state for a cut before the commit mark and the after-state for one after it", () => {
    for (let w = 0; w < reference.writes; w++) {
      const { torn, recovered } = digestAfterPowerOn(
        personalizeInProcess({ storeData: STORE_DATA, afterWrite: w }),
      )
      expect(recovered, `write ${w}`).toBe(w === reference.writes - 1 ? reference.after : reference.before)
      // A cut after a page write that is not the last leaves a mixed image until the power-on
      // recovery rolls it back: without the journal the card would be between. (After the last
      // page write the bytes already equal the after-image, but uncommitted: rolled back too.)
      if (w > 0 && w % 2 === 0 && w < reference.writes - 2)
        expect([reference.before, reference.after]).not.toContain(torn)
    }
  })
})

describe("a power cut mid STORE DATA through pcscd + vpcd", () => {
  let pcscd: Pcscd
  let port: number
  const dir = mkdtempSync(join(tmpdir(), "pcsc-cut-"))
  beforeAll(async () => {
    port = await freePortPair()
    pcscd = await startPcscd(dir, "/dev/null", port)
  }, 120_000)
  afterAll(async () => {
    await pcscd?.stop()
  }, 30_000)

  const cutAndPowerCycle = async (afterWrite: number) => {
    const served = await startServe(dir, `cut-${afterWrite}`, [
      "--content",
      "empty",
      "--keys",
      "test",
      "--seed",
      String(SEED),
      "--vpcd",
      `127.0.0.1:${port}`,
      "--power-cut",
      `${STORE_DATA}:${afterWrite}`,
    ])
    try {
      const perso = await tsmTwin(
        ["card", "personalize", "--reader", READER, "--seed", String(SEED)],
        pcscd.env,
      )
      expect(perso.code, perso.stdout + perso.stderr).toBe(1)
      expect(perso.stdout).toMatch(/personalize \(STORE DATA.*FAIL.*6F00/)
      const cycled = await run(
        "/usr/bin/python3",
        [join(ROOT, "test/app/card/fixtures/power_cycle.py"), READER],
        pcscd.env,
      )
      expect(cycled.code, cycled.stderr).toBe(0)
      expect(cycled.stdout.trim()).toBe("3B9F95801FC78031E073FE211B63E208A8830F9000")
      return digestAfterPowerOn(readFileSync(served.log, "utf8").split("\n"))
    } finally {
      await served.stop()
    }
  }

  it("a cut after a page write comes back in the before-state; a cut after the commit mark in the after-state", async () => {
    const middle = await cutAndPowerCycle(2)
    expect(middle.recovered).toBe(reference.before)
    expect([reference.before, reference.after]).not.toContain(middle.torn)
    const commit = await cutAndPowerCycle(reference.writes - 1)
    expect(commit.recovered).toBe(reference.after)
  }, 300_000)
})
