/**
 * The compact persistent image of a card (DESIGN.md §4: ≤ 1 KiB for ISD + SSD + one payment
 * applet). Layout, all integers big-endian:
 *
 *   header   "G" 02 | card life cycle | serial(4) | entry count
 *   entry    kind | id | AID (L‖V) | life cycle | privileges(3) | SD id | per kind:
 *     SD           sequence counter(3) | key set count | { KVN | type | key length | ENC MAC DEK }
 *                  | state length(2) | state (the ISD's Delegated Management keys and counters)
 *     load file    module count | { Executable Module AID (L‖V) }
 *     application  load file id | class name (L‖V) | state length(2) | state
 *
 * Images only come from `encodeImage`, so a decode failure is a programmer error (it throws).
 */
import {
  type CardState,
  EntryKind,
  type KeySet,
  type KeyType,
  newEntry,
  type RegistryEntry,
} from "./registry.ts"

const MAGIC = 0x47
const VERSION = 0x03

/** Grows by doubling; `done` copies out exactly what was written (an image is a few KB). */
class Writer {
  private buffer = new Uint8Array(1024)
  private length = 0
  private room(extra: number): void {
    if (this.length + extra <= this.buffer.length) return
    const grown = new Uint8Array(Math.max(this.buffer.length * 2, this.length + extra))
    grown.set(this.buffer.subarray(0, this.length))
    this.buffer = grown
  }
  byte(value: number): void {
    this.room(1)
    this.buffer[this.length++] = value & 0xff
  }
  uint(value: number, width: number): void {
    for (let i = width - 1; i >= 0; i--) this.byte(Math.floor(value / 256 ** i))
  }
  bytes(value: Uint8Array): void {
    this.room(value.length)
    this.buffer.set(value, this.length)
    this.length += value.length
  }
  lv(value: Uint8Array): void {
    this.byte(value.length)
    this.bytes(value)
  }
  done(): Uint8Array {
    return this.buffer.slice(0, this.length)
  }
}

class Reader {
  private offset = 0
  constructor(private readonly data: Uint8Array) {}
  byte(): number {
    if (this.offset >= this.data.length) throw new RangeError(`card image truncated at ${this.offset}`)
    return this.data[this.offset++]!
  }
  uint(width: number): number {
    let value = 0
    for (let i = 0; i < width; i++) value = value * 256 + this.byte()
    return value
  }
  bytes(length: number): Uint8Array {
    if (this.offset + length > this.data.length)
      throw new RangeError(`card image truncated at ${this.offset}`)
    const out = this.data.slice(this.offset, this.offset + length)
    this.offset += length
    return out
  }
  lv(): Uint8Array {
    return this.bytes(this.byte())
  }
}

const ascii = (text: string): Uint8Array => Uint8Array.from(text, (c) => c.charCodeAt(0) & 0x7f)
const fromAscii = (bytes: Uint8Array): string => String.fromCharCode(...bytes)

export const encodeImage = (state: CardState): Uint8Array => {
  const w = new Writer()
  w.byte(MAGIC)
  w.byte(VERSION)
  w.byte(state.lifeCycle)
  w.bytes(state.serial)
  w.byte(state.entries.length)
  for (const e of state.entries) encodeEntry(w, e)
  return w.done()
}

const encodeEntry = (w: Writer, e: RegistryEntry): void => {
  w.byte(e.kind)
  w.byte(e.id)
  w.lv(e.aid)
  w.byte(e.lifeCycle)
  w.uint(e.privileges, 3)
  w.byte(e.sdId)
  if (e.kind === EntryKind.ISD || e.kind === EntryKind.SSD) {
    w.uint(e.sequenceCounter, 3)
    w.byte(e.keySets.length)
    for (const k of e.keySets) {
      w.byte(k.kvn)
      w.byte(k.type)
      w.byte(k.enc.length)
      w.bytes(k.enc)
      w.bytes(k.mac)
      w.bytes(k.dek)
    }
    w.uint(e.state.length, 2)
    w.bytes(e.state)
  } else if (e.kind === EntryKind.LOAD_FILE) {
    w.byte(e.moduleAids.length)
    for (const aid of e.moduleAids) w.lv(aid)
  } else {
    w.byte(e.loadFileId)
    w.lv(ascii(e.classNames[0] ?? ""))
    w.uint(e.state.length, 2)
    w.bytes(e.state)
  }
}

export const decodeImage = (image: Uint8Array): CardState => {
  const r = new Reader(image)
  if (r.byte() !== MAGIC || r.byte() !== VERSION) throw new RangeError("not a tsm-twin card image")
  const lifeCycle = r.byte() as CardState["lifeCycle"]
  const serial = r.bytes(4)
  const count = r.byte()
  const entries: RegistryEntry[] = []
  for (let i = 0; i < count; i++) entries.push(decodeEntry(r))
  return { lifeCycle, serial, entries }
}

const decodeEntry = (r: Reader): RegistryEntry => {
  const kind = r.byte() as EntryKind
  const id = r.byte()
  const aid = r.lv()
  const entry = newEntry({ kind, id, aid, lifeCycle: r.byte(), privileges: r.uint(3), sdId: r.byte() })
  if (kind === EntryKind.ISD || kind === EntryKind.SSD) {
    entry.sequenceCounter = r.uint(3)
    const sets = r.byte()
    for (let i = 0; i < sets; i++) {
      const kvn = r.byte()
      const type = r.byte() as KeyType
      const length = r.byte()
      const keySet: KeySet = { kvn, type, enc: r.bytes(length), mac: r.bytes(length), dek: r.bytes(length) }
      entry.keySets.push(keySet)
    }
    entry.state = r.bytes(r.uint(2))
  } else if (kind === EntryKind.LOAD_FILE) {
    const modules = r.byte()
    for (let i = 0; i < modules; i++) entry.moduleAids.push(r.lv())
  } else {
    entry.loadFileId = r.byte()
    entry.classNames.push(fromAscii(r.lv()))
    entry.state = r.bytes(r.uint(2))
  }
  return entry
}
