/**
 * fast-check generators for well-formed BER-TLV trees: 1-3 byte tags of every class, primitive and
 * constructed, values from empty up to the 83 long form.
 */
import fc from "fast-check"
import { constructed, type Tlv, tlv } from "../../../model/tlv/ber-tlv.ts"

/** A tag whose first byte has bit 6 (constructed) as asked; 1, 2 or 3 bytes long. */
export const tagArb = (isConstructed: boolean): fc.Arbitrary<number> => {
  const flag = isConstructed ? 0x20 : 0
  const classBits = fc.constantFrom(0x00, 0x40, 0x80, 0xc0)
  const single = fc
    .tuple(classBits, fc.integer({ min: 0, max: 0x1e }))
    .map(([cls, number]) => cls | flag | number)
  const last = fc.integer({ min: 0, max: 0x7f })
  const middle = fc.integer({ min: 0x80, max: 0xff })
  const double = fc.tuple(classBits, last).map(([cls, b2]) => (cls | flag | 0x1f) * 0x100 + b2)
  const triple = fc
    .tuple(classBits, middle, last)
    .map(([cls, b2, b3]) => (cls | flag | 0x1f) * 0x10000 + b2 * 0x100 + b3)
  return fc.oneof(single, double, triple)
}

/** Mostly short values, sometimes past 127 (81 form), 255 (82 form) and 65535 (83 form). */
export const valueArb: fc.Arbitrary<Uint8Array> = fc.oneof(
  { weight: 20, arbitrary: fc.uint8Array({ maxLength: 40 }) },
  { weight: 4, arbitrary: fc.uint8Array({ minLength: 120, maxLength: 300 }) },
  { weight: 1, arbitrary: fc.integer({ min: 65530, max: 65600 }).map((n) => new Uint8Array(n).fill(0xa5)) },
)

export const tlvTreeArb: fc.Arbitrary<ReadonlyArray<Tlv>> = fc.letrec<{ node: Tlv; list: Tlv[] }>((tie) => ({
  node: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.tuple(tagArb(false), valueArb).map(([tag, value]) => tlv(tag, value)),
    fc.tuple(tagArb(true), tie("list")).map(([tag, children]) => constructed(tag, children)),
  ),
  list: fc.array(tie("node"), { maxLength: 4 }),
})).list
