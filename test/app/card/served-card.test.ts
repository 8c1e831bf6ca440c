// Proves the served card's power semantics at vpcd's level, in process: GET ATR (vpcd's presence
// poll) changes nothing and keeps an open secure channel; power off leaves a card that answers
// nothing useful (6F00) and keeps its NVM; power on and reset close the secure channel (a wrapped
// command afterwards is refused) and keep the NVM. And `--keys seed`: the ISD opens with the seed's
// keys, not with the GP test keys.
import { describe, expect, it } from "vitest"
import { cardKeys, GP_TEST_KEY, type IsdKeyChoice } from "../../../app/card/card-keys.ts"
import { type ServedCard, serveCard } from "../../../app/card/served-card.ts"
import { VpcdControl } from "../../../app/card/vpcd-frame.ts"
import { encodeCommand } from "../../../model/apdu/command.ts"
import { NFC_SIM } from "../../../model/card/profile.ts"
import { nativeCrypto } from "../../../model/crypto/native-crypto.ts"
import { getStatus } from "../../../model/host/gp/gp-commands.ts"
import { openSession } from "../../../model/host/gp/gp-session.ts"
import { selectCommand } from "../../../model/host/terminal/card-dialogue.ts"

const SEED = 5

const serve = (choice: IsdKeyChoice) => {
  const keys = cardKeys(nativeCrypto, NFC_SIM, SEED, choice)
  const card = serveCard({
    profile: NFC_SIM,
    content: "pboc",
    keys,
    seed: SEED,
    crypto: nativeCrypto,
    powerCut: null,
    log: () => {},
    clockUs: () => 0,
  })
  expect(card.issuance.every((s) => s.ok)).toBe(true)
  return { card, keys }
}

const control = (card: ServedCard, code: number) => card.respond({ kind: "control", code })
const transmit = (card: ServedCard) => (command: Uint8Array) => card.respond({ kind: "apdu", command })!

const openIsd = (card: ServedCard, enc: Uint8Array, mac: Uint8Array, dek: Uint8Array, kvn: number) => {
  transmit(card)(encodeCommand(selectCommand(NFC_SIM.isdAid)))
  return openSession(nativeCrypto, transmit(card), {
    protocol: "SCP02",
    keys: { enc, mac, dek },
    kvn,
    level: 0x01,
    hostChallenge: new Uint8Array(8).fill(7),
  })
}

const statusSw = (session: NonNullable<ReturnType<typeof openIsd>>) => {
  if (!session.ok) throw new Error("no session")
  const r = session.value.send(getStatus(0x80))
  return r.ok ? r.value.sw : -1
}

describe("the served card's power", () => {
  it("keeps the channel across GET ATR, closes it on power off/on and on reset, keeps the NVM", () => {
    const { card, keys } = serve("test")
    expect(control(card, VpcdControl.powerOn)).toBeNull()
    const session = openIsd(card, keys.isd.enc, keys.isd.mac, keys.isd.dek, 0xff)
    expect(session.ok).toBe(true)
    expect(statusSw(session)).toBe(0x9000)
    expect(control(card, VpcdControl.getAtr)).toEqual(NFC_SIM.atr)
    expect(statusSw(session)).toBe(0x9000)

    const nvm = card.nvmDigest()
    expect(control(card, VpcdControl.powerOff)).toBeNull()
    expect([...transmit(card)(encodeCommand(selectCommand(NFC_SIM.isdAid)))]).toEqual([0x6f, 0x00])
    expect(card.nvmDigest()).toBe(nvm)
    control(card, VpcdControl.powerOn)
    expect(card.nvmDigest()).toBe(nvm)
    transmit(card)(encodeCommand(selectCommand(NFC_SIM.isdAid)))
    expect(statusSw(session)).not.toBe(0x9000)

    const again = openIsd(card, keys.isd.enc, keys.isd.mac, keys.isd.dek, 0xff)
    expect(statusSw(again)).toBe(0x9000)
    control(card, VpcdControl.reset)
    transmit(card)(encodeCommand(selectCommand(NFC_SIM.isdAid)))
    expect(statusSw(again)).not.toBe(0x9000)
  })

  it("with --keys seed the ISD opens with the seed's keys and refuses the GP test keys", () => {
    const { card, keys } = serve("seed")
    control(card, VpcdControl.powerOn)
    expect(keys.isd.enc).not.toEqual(GP_TEST_KEY)
    expect(openIsd(card, GP_TEST_KEY, GP_TEST_KEY, GP_TEST_KEY, 0).ok).toBe(false)
    expect(openIsd(card, keys.isd.enc, keys.isd.mac, keys.isd.dek, keys.isd.kvn).ok).toBe(true)
  })
})
