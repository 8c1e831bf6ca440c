/**
 * Field types of the inter-institution messages. Each field is one Schema (the control plane's
 * decoder and the source of test generators) plus its canonical wire form, so a message kind
 * declared once from these fields has both (STYLE.md: one Schema serving as decoder and wire
 * format). The wire readers check the same constraints as the Schema, so whatever decodes from
 * bytes is a valid message without running the Schema on the data plane.
 */
import { Schema } from "effect"
import { toHex } from "../../bytes/hex.ts"
import { INSTITUTION_ID_PATTERN } from "../../host/pki/certificate-authority.ts"
import { type ByteReader, type ByteWriter, MalformedInput } from "./canonical-bytes.ts"

/** The field's value space in plain data, for reports and for tests to build generators from. */
export type FieldShape =
  | { readonly type: "uint"; readonly width: 1 | 2 | 4 | 8 }
  | { readonly type: "boolean" }
  | { readonly type: "literals"; readonly values: ReadonlyArray<string> }
  | { readonly type: "hex"; readonly minBytes: number; readonly maxBytes: number }
  | {
      readonly type: "hex-list"
      readonly itemsMax: number
      readonly minBytes: number
      readonly maxBytes: number
    }
  | { readonly type: "text"; readonly charsMax: number }
  | { readonly type: "institution" }

export interface Field<S extends Schema.Top> {
  readonly shape: FieldShape
  readonly schema: S
  write(writer: ByteWriter, value: S["Type"]): void
  read(reader: ByteReader, name: string): S["Type"]
}

export type Fields = { readonly [name: string]: Field<Schema.Top> }

const UINT_MAX = { 1: 0xff, 2: 0xffff, 4: 0xffff_ffff, 8: Number.MAX_SAFE_INTEGER } as const

/** An unsigned integer of 1, 2, 4 or 8 bytes (8 bytes: up to 2^53 − 1, e.g. money in fen). */
export const uintField = (width: 1 | 2 | 4 | 8): Field<Schema.Int> => ({
  shape: { type: "uint", width },
  schema: Schema.Int.check(Schema.isBetween({ minimum: 0, maximum: UINT_MAX[width] })),
  write: (writer, value) => writer.uint(value, width),
  read: (reader, name) => reader.uint(width, name),
})

export const booleanField: Field<Schema.Boolean> = {
  shape: { type: "boolean" },
  schema: Schema.Boolean,
  write: (writer, value) => writer.uint(value ? 1 : 0, 1),
  read: (reader, name) => {
    const start = reader.offset
    const value = reader.uint(1, name)
    if (value > 1) throw new MalformedInput(start, `${name} is not 00 or 01`)
    return value === 1
  },
}

/** One of a closed list of names, on the wire as its index (one byte). */
export const literalsField = <const L extends ReadonlyArray<string>>(
  values: L,
): Field<Schema.Literals<L>> => {
  if (values.length === 0 || values.length > 256) throw new RangeError("1..256 literals")
  return {
    shape: { type: "literals", values },
    schema: Schema.Literals(values),
    write: (writer, value) => {
      const index = values.indexOf(value)
      if (index < 0) throw new RangeError(`"${value}" is not one of ${values.join(", ")}`)
      writer.uint(index, 1)
    },
    read: (reader, name) => {
      const start = reader.offset
      const value = values[reader.uint(1, name)]
      if (value === undefined) throw new MalformedInput(start, `${name} index out of range`)
      return value
    },
  }
}

const HEX_PATTERN = /^(?:[0-9A-F]{2})*$/

const hexSchema = (minBytes: number, maxBytes: number) =>
  Schema.String.check(Schema.isPattern(HEX_PATTERN), Schema.isBetweenLength(2 * minBytes, 2 * maxBytes))

const writeHex = (writer: ByteWriter, value: string, minBytes: number, maxBytes: number): void => {
  if (!HEX_PATTERN.test(value) || value.length < 2 * minBytes || value.length > 2 * maxBytes) {
    throw new RangeError(`"${value}" is not upper-case hex of ${minBytes}..${maxBytes} bytes`)
  }
  const bytes = new Uint8Array(value.length / 2)
  for (let i = 0; i < bytes.length; i++) bytes[i] = Number.parseInt(value.slice(2 * i, 2 * i + 2), 16)
  writer.prefixed(bytes, 2)
}

const readHex = (reader: ByteReader, name: string, minBytes: number, maxBytes: number): string => {
  const start = reader.offset
  const bytes = reader.prefixed(2, name, maxBytes)
  if (bytes.length < minBytes) throw new MalformedInput(start, `${name} shorter than ${minBytes} bytes`)
  return toHex(bytes)
}

/** Bytes as upper-case hex text (AIDs, SE ids, APDUs): readable in traces, exact on the wire. */
export const hexField = (minBytes: number, maxBytes: number): Field<ReturnType<typeof hexSchema>> => ({
  shape: { type: "hex", minBytes, maxBytes },
  schema: hexSchema(minBytes, maxBytes),
  write: (writer, value) => writeHex(writer, value, minBytes, maxBytes),
  read: (reader, name) => readHex(reader, name, minBytes, maxBytes),
})

const hexListSchema = (itemsMax: number, minBytes: number, maxBytes: number) =>
  Schema.Array(hexSchema(minBytes, maxBytes)).check(Schema.isMaxLength(itemsMax))

/** An ordered list of byte strings, e.g. an APDU script; a two-byte count, then each item. */
export const hexListField = (
  itemsMax: number,
  minBytes: number,
  maxBytes: number,
): Field<ReturnType<typeof hexListSchema>> => ({
  shape: { type: "hex-list", itemsMax, minBytes, maxBytes },
  schema: hexListSchema(itemsMax, minBytes, maxBytes),
  write: (writer, items) => {
    if (items.length > itemsMax) throw new RangeError(`${items.length} items (max ${itemsMax})`)
    writer.uint(items.length, 2)
    for (const item of items) writeHex(writer, item, minBytes, maxBytes)
  },
  read: (reader, name) => {
    const start = reader.offset
    const count = reader.uint(2, `${name} count`)
    if (count > itemsMax) throw new MalformedInput(start, `${name}: ${count} items (max ${itemsMax})`)
    return Array.from({ length: count }, (_, i) => readHex(reader, `${name}[${i}]`, minBytes, maxBytes))
  },
})

/** Well-formed UTF-16 only: a lone surrogate has no UTF-8 form and could not round-trip. */
const WELL_FORMED = /^(?:[^\uD800-\uDFFF]|[\uD800-\uDBFF][\uDC00-\uDFFF])*$/
const utf8Decoder = new TextDecoder("utf-8", { fatal: true })
const utf8Encoder = new TextEncoder()

const textSchema = (charsMax: number) =>
  Schema.String.check(Schema.isPattern(WELL_FORMED), Schema.isMaxLength(charsMax))

/** Free text in UTF-8, at most `charsMax` UTF-16 units (so at most 3·charsMax bytes). */
export const textField = (charsMax: number): Field<ReturnType<typeof textSchema>> => ({
  shape: { type: "text", charsMax },
  schema: textSchema(charsMax),
  write: (writer, value) => {
    if (value.length > charsMax || !WELL_FORMED.test(value)) throw new RangeError(`text "${value}"`)
    writer.prefixed(utf8Encoder.encode(value), 2)
  },
  read: (reader, name) => {
    const start = reader.offset
    const bytes = reader.prefixed(2, name, 3 * charsMax)
    let value: string
    try {
      value = utf8Decoder.decode(bytes)
    } catch {
      throw new MalformedInput(start, `${name} is not UTF-8`)
    }
    if (value.length > charsMax) throw new MalformedInput(start, `${name} longer than ${charsMax} chars`)
    return value
  },
})

/** Institution ids as the PKI spells them: the sender of an envelope is its certificate holder. */
const INSTITUTION_ID = INSTITUTION_ID_PATTERN

const institutionSchema = Schema.String.check(Schema.isPattern(INSTITUTION_ID))

export const institutionField: Field<typeof institutionSchema> = {
  shape: { type: "institution" },
  schema: institutionSchema,
  write: (writer, value) => {
    if (!INSTITUTION_ID.test(value)) throw new RangeError(`institution id "${value}"`)
    writer.prefixed(utf8Encoder.encode(value), 1)
  },
  read: (reader, name) => {
    const start = reader.offset
    const value = String.fromCharCode(...reader.prefixed(1, name, 32))
    if (!INSTITUTION_ID.test(value)) throw new MalformedInput(start, `${name} is not an institution id`)
    return value
  },
}
