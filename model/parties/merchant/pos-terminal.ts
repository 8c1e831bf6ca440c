/**
 * A merchant's contactless reader on a real card (DESIGN.md §1 "Use"): it runs the qPBOC terminal
 * kernel (model/host/terminal/qpboc-kernel.ts) over the card's bytes. On the qPBOC path the card
 * decides at GET PROCESSING OPTIONS and leaves the field (JR/T 0025.12 as PROTOCOLS.md §2.2
 * summarizes it): an offline approval gives a TC that the terminal journals for its batch upload;
 * an ARQC gives an online request that the acquirer sends through UnionPay while no further card
 * command is needed. So the kernel's authorizer here only captures the request; the issuer's real
 * answer comes back later, in simulated time, over the links.
 */
import { TAG } from "../../card/applets/pboc/pboc-constants.ts"
import type { Card } from "../../card/card.ts"
import { PBOC_AIP } from "../../host/issuer/data-preparation.ts"
import type { CardAccount } from "../../host/issuer/issuer-keys.ts"
import type { OnlineRequest } from "../../host/terminal/online-authorizer.ts"
import { runTransaction } from "../../host/terminal/qpboc-kernel.ts"
import { type TerminalTransaction, terminalData } from "../../host/terminal/terminal-data.ts"
import { decodeTlv, findTag } from "../../tlv/ber-tlv.ts"
import type { TcEvidence } from "../bank/tc-verifier.ts"

export type TapResult =
  | { readonly kind: "offline"; readonly evidence: TcEvidence; readonly balanceAfterFen: number }
  | { readonly kind: "online"; readonly request: OnlineRequest }
  | { readonly kind: "refused"; readonly reason: string }

const GPO_INS = 0xa8

/** The IAD (9F10) of the card's last GPO answer: the TC evidence needs it and the outcome omits it. */
const watchGpo = (card: Card): { readonly card: Card; readonly iad: () => Uint8Array | undefined } => {
  let iad: Uint8Array | undefined
  return {
    card: {
      reset: card.reset,
      transmit: (command) => {
        const response = card.transmit(command)
        if (command[1] === GPO_INS && response.length > 2) {
          const tlvs = decodeTlv(response.subarray(0, response.length - 2))
          const template = tlvs.ok ? findTag(tlvs.value, TAG.format2)?.children : undefined
          iad = template === undefined ? undefined : findTag(template, TAG.iad)?.value
        }
        return response
      },
    },
    iad: () => iad,
  }
}

/** One tap: `id` names the transaction for the journal and the switch. */
export const tap = (card: Card, txn: TerminalTransaction, id: string, account: CardAccount): TapResult => {
  const watched = watchGpo(card)
  let request: OnlineRequest | null = null
  const outcome = runTransaction(watched.card, txn, (r) => {
    request = r
    return null
  })
  if (request !== null) return { kind: "online", request }
  if (outcome.kind !== "approved-offline") return { kind: "refused", reason: outcome.kind }
  const iad = watched.iad()
  if (iad === undefined || outcome.balanceAfterFen === null)
    return { kind: "refused", reason: "offline approval without IAD or balance" }
  const evidence: TcEvidence = {
    id,
    pan: account.pan,
    psn: account.psn,
    amountFen: txn.amountFen,
    terminal: terminalData(txn),
    aip: PBOC_AIP,
    atc: outcome.atc,
    iad,
    tc: outcome.cryptogram,
  }
  return { kind: "offline", evidence, balanceAfterFen: outcome.balanceAfterFen }
}
