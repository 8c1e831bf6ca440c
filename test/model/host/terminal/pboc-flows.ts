/**
 * Shared pieces of the PBOC end-to-end tests: a terminal transaction builder with a counter-based
 * unpredictable number, an issuer authorizer built from the issuer code, and GET DATA through bytes.
 */
import { command, encodeCommand } from "../../../../model/apdu/command.ts"
import type { AlgorithmProfile } from "../../../../model/card/applets/pboc/algorithm-profile.ts"
import { decodeN12 } from "../../../../model/card/applets/pboc/n12-amount.ts"
import type { Card } from "../../../../model/card/card.ts"
import type { Crypto } from "../../../../model/crypto/crypto.ts"
import { answerOnlineRequest, type IssuerDecision } from "../../../../model/host/issuer/online-issuer.ts"
import type { OnlineAuthorizer } from "../../../../model/host/terminal/online-authorizer.ts"
import {
  type TerminalTransaction,
  TYPE_ECASH_LOAD,
  TYPE_PURCHASE,
} from "../../../../model/host/terminal/terminal-data.ts"
import { TEST_IMKS } from "../../card/applets/pboc/pboc-fixture.ts"

let unCounter = 0
const nextUn = (): Uint8Array => {
  unCounter = (unCounter + 0x01020305) >>> 0
  return new Uint8Array([
    unCounter >>> 24,
    (unCounter >>> 16) & 0xff,
    (unCounter >>> 8) & 0xff,
    unCounter & 0xff,
  ])
}

export const purchase = (amountFen: number, path: "qpboc" | "pboc"): TerminalTransaction => ({
  amountFen,
  type: TYPE_PURCHASE,
  dateYymmdd: "150801",
  unpredictableNumber: nextUn(),
  path,
  ecashSupported: path === "qpboc",
  onlineRequired: false,
})

export const load = (amountFen: number): TerminalTransaction => ({
  amountFen,
  type: TYPE_ECASH_LOAD,
  dateYymmdd: "150801",
  unpredictableNumber: nextUn(),
  path: "pboc",
  ecashSupported: false,
  onlineRequired: true,
})

export const issuer =
  (crypto: Crypto, profile: AlgorithmProfile, decision: IssuerDecision): OnlineAuthorizer =>
  (request) =>
    answerOnlineRequest(crypto, profile, TEST_IMKS, request, decision)

const sw = (bytes: Uint8Array): number => (bytes[bytes.length - 2]! << 8) | bytes[bytes.length - 1]!

/** SELECT the AID then GET DATA; returns the value bytes and SWs. */
export const getData = (
  card: Card,
  aid: Uint8Array,
  tag: number,
): { selectSw: number; sw: number; value: Uint8Array } => {
  const selectSw = sw(card.transmit(encodeCommand(command(0x00, 0xa4, 0x04, 0x00, aid, 256))))
  const r = card.transmit(encodeCommand(command(0x80, 0xca, tag >> 8, tag & 0xff, new Uint8Array(0), 256)))
  const headerBytes = tag > 0xff ? 3 : 2
  return { selectSw, sw: sw(r), value: r.slice(headerBytes, r.length - 2) }
}

export const balanceOf = (card: Card, aid: Uint8Array): number => {
  const got = getData(card, aid, 0x9f79)
  const fen = decodeN12(got.value)
  if (!fen.ok) throw new Error(`GET DATA 9F79 gave ${got.sw.toString(16)}`)
  return fen.value
}
