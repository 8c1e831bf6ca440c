/**
 * Turns a recorded APDU exchange into the inspector's `ApduView` (flow.ts): header, command name,
 * raw hex, status word, and the data fields decoded as BER-TLV trees where they are TLV. The
 * decoding uses the project's own codecs (model/tlv, model/apdu), so the viewer, which may import
 * only schemas, shows exactly what the card runtime parses. Secure-messaging commands carry a MAC
 * or ciphertext after the TLV, so a tree is shown only when the whole field decodes.
 */

import { decodeCommand } from "../apdu/command.ts"
import { decodeResponse } from "../apdu/response.ts"
import { swHex } from "../apdu/status-words.ts"
import { toHex } from "../bytes/hex.ts"
import { decodeTlv, type Tlv, tagBytes } from "../tlv/ber-tlv.ts"
import { decodeDgi } from "../tlv/dgi.ts"
import { TAG_NAMES } from "../tlv/tag-names.ts"
import { type ApduView, FLOW_LIMITS, type PlainCommand, type TlvNode } from "./flow.ts"

/** ISO 7816-4 and GP 2.3.1 §11 instruction bytes the twin's stories send. */
const INS_NAMES: ReadonlyMap<number, string> = new Map([
  [0xa4, "SELECT"],
  [0x50, "INITIALIZE UPDATE"],
  [0x82, "EXTERNAL AUTHENTICATE"],
  [0xe6, "INSTALL"],
  [0xe8, "LOAD"],
  [0xd8, "PUT KEY"],
  [0xe2, "STORE DATA"],
  [0xe4, "DELETE"],
  [0xf0, "SET STATUS"],
  [0xf2, "GET STATUS"],
  [0xca, "GET DATA"],
  [0xa8, "GET PROCESSING OPTIONS"],
  [0xb2, "READ RECORD"],
  [0xae, "GENERATE AC"],
  [0xda, "PUT DATA"],
  [0x1e, "APPLICATION BLOCK"],
  [0xc0, "GET RESPONSE"],
  [0x70, "MANAGE CHANNEL"],
  [0x88, "INTERNAL AUTHENTICATE"],
])

const clip = (bytes: Uint8Array): string => toHex(bytes.subarray(0, FLOW_LIMITS.hexCharsMax / 2))

/** Converts decoded TLVs to nodes, stopping at the node and depth bounds of FLOW_LIMITS. */
const toNodes = (items: ReadonlyArray<Tlv>, depth: number, budget: { nodes: number }): TlvNode[] => {
  const out: TlvNode[] = []
  for (const item of items) {
    if (budget.nodes <= 0 || depth >= FLOW_LIMITS.tlvDepthMax) break
    budget.nodes--
    const name = TAG_NAMES.get(item.tag)
    const base = { tag: toHex(tagBytes(item.tag)), length: item.value.length }
    const named = name === undefined ? base : { ...base, name }
    out.push(
      item.children === undefined
        ? { ...named, value: clip(item.value) }
        : { ...named, children: toNodes(item.children, depth + 1, budget) },
    )
  }
  return out
}

/** The TLV tree of a data field, or undefined when it is empty or not wholly TLV. */
export const tlvTree = (data: Uint8Array): ReadonlyArray<TlvNode> | undefined => {
  if (data.length === 0) return undefined
  const decoded = decodeTlv(data)
  if (!decoded.ok || decoded.value.length === 0) return undefined
  return toNodes(decoded.value, 0, { nodes: FLOW_LIMITS.tlvNodesMax })
}

/** STORE DATA (GP 2.3 §11.11) with P1 bit 08 set carries DGIs (EMV CPS), not BER-TLV. */
const isDgiStoreData = (command: Uint8Array): boolean =>
  command[1] === 0xe2 && ((command[2] ?? 0) & 0x08) !== 0

/** DGIs as nodes: the 2-byte DGI as the tag, its value as a BER-TLV tree when it is wholly TLV. */
const dgiTree = (data: Uint8Array): ReadonlyArray<TlvNode> | undefined => {
  const decoded = decodeDgi(data)
  if (!decoded.ok || decoded.value.length === 0) return undefined
  const budget = { nodes: FLOW_LIMITS.tlvNodesMax }
  const out: TlvNode[] = []
  for (const group of decoded.value) {
    if (budget.nodes <= 0) break
    budget.nodes--
    const tag = toHex(Uint8Array.of(group.dgi >> 8, group.dgi & 0xff))
    const inner = decodeTlv(group.value)
    const base = { tag, length: group.value.length, name: `DGI ${tag}` }
    out.push(
      inner.ok && inner.value.length > 0
        ? { ...base, children: toNodes(inner.value, 1, budget) }
        : { ...base, value: clip(group.value) },
    )
  }
  return out
}

/** The view of a command in plaintext (before secure-channel wrapping). */
export const plainCommandView = (plain: Uint8Array): PlainCommand => {
  const cmd = decodeCommand(plain)
  const data = cmd.ok ? cmd.value.data : new Uint8Array(0)
  const dgi = cmd.ok && isDgiStoreData(plain) ? dgiTree(data) : undefined
  if (dgi !== undefined) return { command: clip(plain), format: "dgi", tree: dgi }
  const tree = tlvTree(data)
  return tree === undefined
    ? { command: clip(plain), format: "raw" }
    : { command: clip(plain), format: "tlv", tree }
}

export const apduView = (command: Uint8Array, response: Uint8Array, plain?: Uint8Array): ApduView => {
  const cmd = decodeCommand(command)
  const rsp = decodeResponse(response)
  const header = toHex(command.subarray(0, 4))
  const ins = command[1] ?? -1
  const commandTlv = cmd.ok ? tlvTree(cmd.value.data) : undefined
  const responseTlv = rsp.ok ? tlvTree(rsp.value.data) : undefined
  return {
    header,
    commandName: INS_NAMES.get(ins) ?? `INS ${ins < 0 ? "?" : toHex(Uint8Array.of(ins))}`,
    command: clip(command),
    response: clip(response),
    sw: rsp.ok ? swHex(rsp.value.sw) : "",
    ...(commandTlv === undefined ? {} : { commandTlv }),
    ...(responseTlv === undefined ? {} : { responseTlv }),
    ...(plain === undefined ? {} : { plain: plainCommandView(plain) }),
  }
}
