/**
 * fast-check generators for the message union, built from each field's declared shape (so a new
 * kind or field is generated without touching the tests). Effect 4.1's own Arbitrary module is
 * not fast-check, hence these.
 */
import fc from "fast-check"
import type { FieldShape } from "../../../../model/parties/messages/message-fields.ts"
import { MESSAGE_KINDS, type Message } from "../../../../model/parties/messages/messages.ts"

const hexOf = (minBytes: number, maxBytes: number): fc.Arbitrary<string> =>
  fc
    .uint8Array({ minLength: minBytes, maxLength: Math.min(maxBytes, minBytes + 40) })
    .map((bytes) => Array.from(bytes, (b) => b.toString(16).toUpperCase().padStart(2, "0")).join(""))

export const institutionId: fc.Arbitrary<string> = fc.stringMatching(/^[a-z0-9][a-z0-9-]{0,31}$/)

const arbitraryOf = (shape: FieldShape): fc.Arbitrary<unknown> => {
  switch (shape.type) {
    case "uint":
      return fc.integer({
        min: 0,
        max: shape.width === 8 ? Number.MAX_SAFE_INTEGER : 2 ** (8 * shape.width) - 1,
      })
    case "boolean":
      return fc.boolean()
    case "literals":
      return fc.constantFrom(...shape.values)
    case "hex":
      return hexOf(shape.minBytes, shape.maxBytes)
    case "hex-list":
      return fc.array(hexOf(shape.minBytes, shape.maxBytes), { maxLength: Math.min(shape.itemsMax, 6) })
    case "text":
      return fc
        .string({ unit: "grapheme", maxLength: shape.charsMax })
        .filter((s) => s.length <= shape.charsMax)
    case "institution":
      return institutionId
  }
}

export const message: fc.Arbitrary<Message> = fc.oneof(
  ...MESSAGE_KINDS.map(
    (kind) =>
      fc.record(
        Object.fromEntries([
          ["_tag", fc.constant(kind.tag)],
          ...Object.entries(kind.fields).map(([name, field]) => [name, arbitraryOf(field.shape)]),
        ]) as Record<string, fc.Arbitrary<unknown>>,
      ) as fc.Arbitrary<Message>,
  ),
)
