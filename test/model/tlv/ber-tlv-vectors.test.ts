// Proves that decodeTlv gives every published ber_tlv vector's tree or error code, and that
// re-encoding a decoded tree decodes to the same tree.
import { describe, expect, it } from "vitest"
import { hex, toHex } from "../../../model/bytes/hex.ts"
import { decodeTlv, encodeTlv, type Tlv } from "../../../model/tlv/ber-tlv.ts"
import { readVectorFile } from "./vectors-dir.ts"

interface VectorNode {
  readonly tag_hex: string
  readonly length: number
  readonly value_hex?: string
  readonly children?: ReadonlyArray<VectorNode>
}

interface BerTlvVector {
  readonly id: string
  readonly input_hex: string
  readonly expected?: ReadonlyArray<VectorNode>
  readonly expected_error?: string
}

const file = readVectorFile<{ kind: string; vectors: ReadonlyArray<BerTlvVector> }>("ber_tlv.json")

/** The vector's node shape, built from a decoded TLV, so the two can be compared field by field. */
const toNode = (item: Tlv): VectorNode => {
  const tagHex = item.tag.toString(16).toUpperCase()
  const base = { tag_hex: tagHex.length % 2 === 0 ? tagHex : `0${tagHex}`, length: item.value.length }
  return item.children === undefined
    ? { ...base, value_hex: toHex(item.value) }
    : { ...base, children: item.children.map(toNode) }
}

describe("ber_tlv vectors", () => {
  it("is the ber_tlv kind and has vectors", () => {
    expect(file.kind).toBe("ber_tlv")
    expect(file.vectors.length).toBeGreaterThan(0)
  })

  for (const vector of file.vectors) {
    it(vector.id, () => {
      const decoded = decodeTlv(hex(vector.input_hex))
      if (vector.expected_error !== undefined) {
        expect(decoded.ok ? "decoded" : decoded.error.code).toBe(vector.expected_error)
        return
      }
      expect(decoded.ok).toBe(true)
      if (!decoded.ok) return
      expect(decoded.value.map(toNode)).toEqual(vector.expected)
      const again = decodeTlv(encodeTlv(decoded.value))
      expect(again.ok && again.value.map(toNode)).toEqual(vector.expected)
    })
  }
})
