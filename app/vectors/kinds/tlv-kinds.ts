/** Checker for `ber_tlv` (vectors/README.md): the decoded tree, or the first error's code. */
import { toHex } from "../../../model/bytes/hex.ts"
import { decodeTlv, type Tlv, tagBytes } from "../../../model/tlv/ber-tlv.ts"
import { type KindChecker, Mismatches } from "../vector-check.ts"

/** The vectors' node form: tag as hex, decoded length, and value or children. */
interface ExpectedNode {
  readonly tag_hex: string
  readonly length: number
  readonly value_hex?: string
  readonly children?: ReadonlyArray<ExpectedNode>
}

const toExpectedForm = (node: Tlv): ExpectedNode =>
  node.children === undefined
    ? { tag_hex: toHex(tagBytes(node.tag)), length: node.value.length, value_hex: toHex(node.value) }
    : {
        tag_hex: toHex(tagBytes(node.tag)),
        length: node.value.length,
        children: node.children.map(toExpectedForm),
      }

/** Normalizes the file's nodes (upper-case hex, key order) so that comparison is structural. */
const normalize = (node: unknown): unknown => {
  if (typeof node !== "object" || node === null) return node
  const n = node as Record<string, unknown>
  return n.children === undefined
    ? {
        tag_hex: String(n.tag_hex).toUpperCase(),
        length: n.length,
        value_hex: String(n.value_hex).toUpperCase(),
      }
    : {
        tag_hex: String(n.tag_hex).toUpperCase(),
        length: n.length,
        children: Array.isArray(n.children) ? n.children.map(normalize) : n.children,
      }
}

export const berTlvChecker: KindChecker = {
  usesCrypto: false,
  check: (f) => {
    const m = new Mismatches()
    const input = f.hex("input_hex")
    const expected = f.raw("expected")
    const expectedError = f.raw("expected_error")
    if ((expected === undefined) === (expectedError === undefined)) {
      f.problems.push("expected / expected_error: exactly one must be present")
    }
    if (expected !== undefined && !Array.isArray(expected))
      f.problems.push("expected: expected an array of nodes")
    if (f.problems.length > 0) return m.list
    const decoded = decodeTlv(input)
    if (expectedError !== undefined) {
      m.value("expected_error", expectedError, decoded.ok ? "(decoded without error)" : decoded.error.code)
    } else {
      const actual = decoded.ok ? decoded.value.map(toExpectedForm) : `error ${decoded.error.code}`
      m.value("expected", (expected as unknown[]).map(normalize), actual)
    }
    return m.list
  },
}
