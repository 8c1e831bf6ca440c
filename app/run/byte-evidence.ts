/**
 * The byte-level evidence of a pilot run (issue 12 item 5), beside summary.json in the run folder:
 * - `messages.ndjson`: every envelope of the byte-level flows as it crossed — civil time, order,
 *   message, signer, receiver, the envelope's hex and the receiver's verdict — written as the run
 *   makes them (one line each, so a 1× run does not hold them in memory);
 * - `pki/`: the MTPS CA and every institution's certificate (PEM) the envelopes were signed under,
 *   so `openssl pkeyutl -verify … -pkeyopt distid:1234567812345678` can check any line;
 * - `traces/card-<user>.pcap` for the first `--trace-cards N` byte-level cards: every APDU of
 *   their issuance and payments, ISO 14443 framing (link type 264), readable by tshark; and
 *   `traces/card-<user>-ota.pcap`: the OTA packets their issuance went as, on the card's bearer —
 *   SMS-PP ENVELOPEs in GSMTAP-SIM, BIP as CAT-TP over UDP, HTTP admin over TCP (ota-pcap.ts).
 * The model only calls the sinks; files are this module's.
 */
import { closeSync, mkdirSync, openSync, writeFileSync, writeSync } from "node:fs"
import { join } from "node:path"
import type { ApduExchange } from "../../model/apdu/pcap-file.ts"
import { pcapFile } from "../../model/apdu/pcap-file.ts"
import { iso14443Framing } from "../../model/apdu/pcap-iso14443.ts"
import { pkiFiles } from "../../model/host/pki/pki-files.ts"
import { type OtaTraceDelivery, otaPcapFile } from "../../model/ota/ota-pcap.ts"
import type { PilotWorld } from "../../model/world/pilot/pilot-world.ts"
import { writePkiFolder } from "./pki-folder.ts"

export const MESSAGES_FILE = "messages.ndjson"
export const TRACES_FOLDER = "traces"

export interface ByteEvidence {
  /** Closes messages.ndjson and writes the traced cards' pcaps; returns the pcap paths. */
  finish(): ReadonlyArray<string>
}

export const openByteEvidence = (out: string, w: PilotWorld, traceCards: number): ByteEvidence => {
  const chain = w.cards.chain
  writePkiFolder(out, pkiFiles(chain.pki.ca))
  const fd = openSync(join(out, MESSAGES_FILE), "w")
  const before = chain.onEnvelope
  chain.onEnvelope = (bytes, record) => {
    before?.(bytes, record)
    writeSync(fd, `${JSON.stringify(record)}\n`)
  }
  const traces = new Map<number, ApduExchange[]>()
  w.cards.sinks.traceCards = traceCards
  w.cards.sinks.exchange =
    traceCards <= 0
      ? null
      : (user, atUs, command, response) => {
          let list = traces.get(user)
          if (list === undefined) {
            list = []
            traces.set(user, list)
          }
          list.push({ atUs, command, response })
        }
  const otaTraces = new Map<number, OtaTraceDelivery[]>()
  w.cards.sinks.otaDelivery =
    traceCards <= 0
      ? null
      : (user, delivery) => {
          const list = otaTraces.get(user) ?? []
          list.push(delivery)
          otaTraces.set(user, list)
        }
  let open = true
  return {
    finish: () => {
      if (open) closeSync(fd)
      open = false
      chain.onEnvelope = before
      if (traces.size === 0 && otaTraces.size === 0) return []
      const folder = join(out, TRACES_FOLDER)
      mkdirSync(folder, { recursive: true })
      const apdus = [...traces].map(([user, exchanges]) => {
        const path = join(folder, `card-${user}.pcap`)
        writeFileSync(path, pcapFile(iso14443Framing, exchanges))
        return path
      })
      const ota = [...otaTraces].map(([user, deliveries]) => {
        const path = join(folder, `card-${user}-ota.pcap`)
        writeFileSync(path, otaPcapFile(deliveries))
        return path
      })
      return [...apdus, ...ota]
    },
  }
}
