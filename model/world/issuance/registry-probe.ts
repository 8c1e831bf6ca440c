/**
 * The audit's eye on the cards: after every terminal order, the SE's own registry is read with a
 * real GET STATUS (applications and SSDs, GP 2.3 §11.4) on an ISD secure channel, and emitted as
 * `se.registry` in the same "AID:state" form as the TSM's view. The probe runs outside simulated
 * time (an inspector, not a party): it changes no card state that any party relies on.
 */
import { toHex } from "../../bytes/hex.ts"
import type { Card } from "../../card/card.ts"
import type { Crypto } from "../../crypto/crypto.ts"
import { getStatus, parseGetStatus } from "../../host/gp/gp-commands.ts"
import { openSession } from "../../host/gp/gp-session.ts"
import type { DomainAccess } from "../../parties/ota/domain-script.ts"

const LEVEL_MAC = 0x01

export const readRegistry = (
  crypto: Crypto,
  card: Card,
  isd: DomainAccess,
  hostChallenge: Uint8Array,
): ReadonlyArray<string> | string => {
  const select = card.transmit(Uint8Array.of(0x00, 0xa4, 0x04, 0x00, isd.aid.length, ...isd.aid, 0x00))
  if (select[select.length - 2] !== 0x90) return "ISD SELECT failed"
  const session = openSession(crypto, card.transmit, {
    protocol: isd.protocol,
    keys: isd.keys,
    kvn: isd.kvn,
    level: LEVEL_MAC,
    hostChallenge,
  })
  if (!session.ok) return `ISD session: ${session.error.kind}`
  const r = session.value.send(getStatus(0x40))
  if (!r.ok) return `GET STATUS: ${r.error.kind}`
  if (r.value.sw === 0x6a88) return []
  if (r.value.sw !== 0x9000) return `GET STATUS answered ${r.value.sw.toString(16)}`
  const entries = parseGetStatus(r.value.data)
  if (!entries.ok) return "GET STATUS data did not parse"
  return entries.value
    .map((e) => `${toHex(e.aid)}:${(e.lifeCycle & 0x80) !== 0 ? "locked" : "active"}`)
    .sort()
}
