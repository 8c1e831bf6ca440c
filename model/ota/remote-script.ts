/**
 * The expanded remote APDU format of ETSI TS 102 226 §5.2: a command scripting template `AA`
 * holding one C-APDU TLV `22` per command, and a response scripting template `AB` holding the
 * number of executed commands (`80`) and one R-APDU TLV `23` (data ‖ SW) per executed command.
 * Expanded rather than compact because it needs no knowledge of each command's case to split.
 * The tags are single bytes with definite lengths (00-7F, 81 xx, 82 xxxx); 22 and 23 are read as
 * opaque values (TS 101 220 Table 7.19 assigns them), not as BER constructed objects.
 */
import { concat } from "../bytes/bytes.ts"
import { err, ok, type Result } from "../bytes/result.ts"

interface Item {
  readonly tag: number
  readonly value: Uint8Array
}

const lengthBytes = (n: number): Uint8Array =>
  n < 0x80 ? Uint8Array.of(n) : n < 0x100 ? Uint8Array.of(0x81, n) : Uint8Array.of(0x82, n >> 8, n & 0xff)

const item = (tag: number, value: Uint8Array): Uint8Array =>
  concat(Uint8Array.of(tag), lengthBytes(value.length), value)

/** Reads one-byte-tag TLVs that exactly fill `data`; null when they do not. */
const readItems = (data: Uint8Array): Item[] | null => {
  const out: Item[] = []
  let at = 0
  while (at < data.length) {
    const tag = data[at]!
    const first = data[at + 1]
    if (first === undefined) return null
    const extra = first === 0x81 ? 1 : first === 0x82 ? 2 : first < 0x80 ? 0 : -1
    if (extra < 0 || at + 2 + extra > data.length) return null
    const length = extra === 0 ? first : extra === 1 ? data[at + 2]! : (data[at + 2]! << 8) | data[at + 3]!
    const start = at + 2 + extra
    if (start + length > data.length) return null
    out.push({ tag, value: data.subarray(start, start + length) })
    at = start + length
  }
  return out
}

const template = (tag: number, data: Uint8Array): Item[] | null => {
  const outer = readItems(data)
  return outer !== null && outer.length === 1 && outer[0]!.tag === tag ? readItems(outer[0]!.value) : null
}

/** Bytes of a definite length field for `n` (the form `item` writes). */
const lengthFieldBytes = (n: number): number => (n < 0x80 ? 1 : n < 0x100 ? 2 : 3)

/** Bytes one C-APDU adds inside the command scripting template (its `22` TLV). */
export const scriptItemBytes = (apduBytes: number): number => 1 + lengthFieldBytes(apduBytes) + apduBytes

/** Bytes of the whole template `AA` around items of `innerBytes` in total. */
export const commandScriptBytes = (innerBytes: number): number =>
  1 + lengthFieldBytes(innerBytes) + innerBytes

export const encodeCommandScript = (apdus: ReadonlyArray<Uint8Array>): Uint8Array =>
  item(0xaa, concat(...apdus.map((a) => item(0x22, a))))

export const decodeCommandScript = (data: Uint8Array): Result<Uint8Array[], "malformed"> => {
  const items = template(0xaa, data)
  if (items === null || items.some((c) => c.tag !== 0x22 || c.value.length < 4)) return err("malformed")
  return ok(items.map((c) => c.value.slice()))
}

export const encodeResponseScript = (responses: ReadonlyArray<Uint8Array>): Uint8Array =>
  item(0xab, concat(item(0x80, Uint8Array.of(responses.length)), ...responses.map((r) => item(0x23, r))))

export const decodeResponseScript = (data: Uint8Array): Result<Uint8Array[], "malformed"> => {
  const items = template(0xab, data)
  const [count, ...rest] = items ?? []
  if (count?.tag !== 0x80 || count.value.length !== 1 || rest.some((r) => r.tag !== 0x23))
    return err("malformed")
  if (count.value[0] !== rest.length) return err("malformed")
  return ok(rest.map((r) => r.value.slice()))
}

/** Whether a script goes on after this status word (TS 102 226 §5.2.1: it stops at an error). */
export const continuesAfter = (sw: number): boolean => sw === 0x9000 || [0x61, 0x62, 0x63].includes(sw >> 8)
