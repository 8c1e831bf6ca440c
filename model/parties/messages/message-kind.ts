/**
 * A message kind: its tag, its one-byte code on the wire, and its fields in wire order. The Schema
 * (a `TaggedStruct`) is derived from the same field list, so the decoder, the wire format and the
 * test generators cannot drift apart. The field order is the order the kind lists its fields in
 * the source: fixed by the code, never by the input.
 */
import { Schema } from "effect"
import type { Fields } from "./message-fields.ts"

export type SchemasOf<Fs extends Fields> = { readonly [K in keyof Fs]: Fs[K]["schema"] }

export interface MessageKind<Tag extends string, Fs extends Fields> {
  readonly tag: Tag
  /** The kind's byte on the wire; unique across the union (checked where the union is built). */
  readonly code: number
  readonly fields: Fs
  readonly schema: Schema.TaggedStruct<Tag, SchemasOf<Fs>>
}

export const defineMessage = <const Tag extends string, const Fs extends Fields>(
  tag: Tag,
  code: number,
  fields: Fs,
): MessageKind<Tag, Fs> => {
  if (!Number.isInteger(code) || code < 1 || code > 0xff) throw new RangeError(`message code ${code}`)
  if ("_tag" in fields) throw new RangeError("a field may not be called _tag")
  const schemas = Object.fromEntries(Object.entries(fields).map(([name, field]) => [name, field.schema]))
  return { tag, code, fields, schema: Schema.TaggedStruct(tag, schemas as SchemasOf<Fs>) }
}
