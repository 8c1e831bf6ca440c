/**
 * Builds the CAP components of a minimal but well-formed Java Card applet package (Java Card 2.2.2
 * VM Specification, Chapter 6), the content of a Load File Data Block (GP 2.3 §11.6.2.2, tag C4):
 * per applet one class extending javacard.framework.Applet with three methods — `install` (new,
 * dup, invokespecial <init>, invokevirtual register, return), `<init>` (aload_0, invokespecial
 * Applet.<init>, return) and `process` (return). Every component carries its tag and u2 size; the
 * Directory lists their sizes; the Reference Location lists every constant-pool index inside the
 * bytecodes; the Descriptor describes every class and method. The twin does not interpret the
 * bytecode (its applets are TypeScript classes bound by module AID, see cap-read.ts), but a CAP
 * reader written from the spec can walk these bytes.
 */
import { concat, uintToBytes } from "../../bytes/bytes.ts"
import { CAP_MAGIC, CAP_VERSION, CapTag, DIRECTORY_SIZES, HeaderFlag } from "./cap-format.ts"

export interface CapSpec {
  /** The package AID (the Load File AID). */
  readonly packageAid: Uint8Array
  /** The package name in internal form ("cn/gyt/pboc"), carried by the Header since CAP 2.2. */
  readonly packageName: string
  /** Package version (Header's package_info); 1.0 when not given. */
  readonly version?: { readonly major: number; readonly minor: number }
  /** One applet (one Executable Module) per AID, in order. */
  readonly appletAids: ReadonlyArray<Uint8Array>
}

/** javacard.framework 1.3 (Java Card 2.2.2 API), the one imported package; its tokens below. */
const FRAMEWORK = { aid: Uint8Array.of(0xa0, 0x00, 0x00, 0x00, 0x62, 0x01, 0x01), major: 1, minor: 3 }
/** External class reference: high bit ‖ import index 0, then the class token (JCVM §6.8.1). */
const APPLET_CLASS = Uint8Array.of(0x80, 0x03)
/** Virtual method tokens of javacard.framework.Applet: register() 1, process(APDU) 7. */
const REGISTER_TOKEN = 1
const PROCESS_TOKEN = 7

const u2 = (n: number): Uint8Array => uintToBytes(n, 2)
const component = (tag: CapTag, info: Uint8Array): Uint8Array =>
  concat(Uint8Array.of(tag), u2(info.length), info)

/** Bytes of each class's three methods in the Method component (header 2 bytes each, then code). */
const INSTALL_BYTES = 13
const INIT_BYTES = 7
const PROCESS_BYTES = 3
const CLASS_METHODS_BYTES = INSTALL_BYTES + INIT_BYTES + PROCESS_BYTES
const CLASS_INFO_BYTES = 12
/** Constant pool: Applet class, Applet.<init>, Applet.register(); then per class its class and <init>. */
const CP_SHARED = 3
const cpClass = (i: number) => CP_SHARED + 2 * i
const cpInit = (i: number) => CP_SHARED + 2 * i + 1

/** Offsets inside the Method component's info: handler_count (1 byte) comes first. */
const installAt = (i: number) => 1 + CLASS_METHODS_BYTES * i
const initAt = (i: number) => installAt(i) + INSTALL_BYTES
const processAt = (i: number) => initAt(i) + INIT_BYTES
/** Offsets inside the Class component's info: signature_pool_length (u2) comes first. */
const classAt = (i: number) => 2 + CLASS_INFO_BYTES * i

const methodComponent = (count: number): { info: Uint8Array; byte2Indices: number[] } => {
  const parts: Uint8Array[] = [Uint8Array.of(0)]
  const byte2Indices: number[] = []
  for (let i = 0; i < count; i++) {
    // install: max_stack 2, nargs 3 (byte[], short, byte); new, dup, invokespecial, invokevirtual, return.
    parts.push(Uint8Array.of(0x02, 0x30, 0x8f), u2(cpClass(i)), Uint8Array.of(0x3d, 0x8c), u2(cpInit(i)))
    parts.push(Uint8Array.of(0x8b), u2(2), Uint8Array.of(0x7a))
    // <init>: max_stack 1, nargs 1 (this); aload_0, invokespecial Applet.<init>, return.
    parts.push(Uint8Array.of(0x01, 0x10, 0x18, 0x8c), u2(1), Uint8Array.of(0x7a))
    // process: nargs 2 (this, apdu); return.
    parts.push(Uint8Array.of(0x00, 0x20, 0x7a))
    byte2Indices.push(installAt(i) + 3, installAt(i) + 7, installAt(i) + 10, initAt(i) + 4)
  }
  return { info: concat(...parts), byte2Indices }
}

const constantPool = (count: number): Uint8Array => {
  const entries: Uint8Array[] = [
    Uint8Array.of(1, ...APPLET_CLASS, 0), // CONSTANT_Classref, external
    Uint8Array.of(6, ...APPLET_CLASS, 0), // CONSTANT_StaticMethodref, external Applet.<init> (token 0)
    Uint8Array.of(3, ...APPLET_CLASS, REGISTER_TOKEN), // CONSTANT_VirtualMethodref
  ]
  for (let i = 0; i < count; i++) {
    entries.push(Uint8Array.of(1), u2(classAt(i)), Uint8Array.of(0)) // internal class ref
    entries.push(Uint8Array.of(6, 0), u2(initAt(i))) // internal static method ref: padding, offset
  }
  return concat(u2(CP_SHARED + 2 * count), ...entries)
}

const classComponent = (count: number): Uint8Array => {
  const classes: Uint8Array[] = []
  for (let i = 0; i < count; i++) {
    // flags|interface_count, super class, instance size, first ref, ref count, public table base and
    // count (process only), package table base and count, the public virtual method table.
    classes.push(Uint8Array.of(0x00, ...APPLET_CLASS, 0, 0xff, 0, PROCESS_TOKEN, 1, 0, 0), u2(processAt(i)))
  }
  return concat(u2(0), ...classes)
}

/** Delta-coded offsets (JCVM §6.11): each relative to the previous, 255 meaning "add 255 and go on". */
const deltaOffsets = (offsets: ReadonlyArray<number>): Uint8Array => {
  const out: number[] = []
  let previous = 0
  for (const offset of offsets) {
    let delta = offset - previous
    while (delta > 255) {
      out.push(255)
      delta -= 255
    }
    out.push(delta)
    previous = offset
  }
  return Uint8Array.from(out)
}

/**
 * Type descriptors (§6.13.2 nibbles): ()V, ([BSB)V, (Ljavacard/framework/APDU;)V — the last a
 * reference (6) to the external class 80 0A (javacard.framework.APDU, class token 10), then V.
 */
const TYPES = [Uint8Array.of(1, 0x10), Uint8Array.of(4, 0xb4, 0x31), Uint8Array.of(6, 0x68, 0x00, 0xa1)]

const descriptorComponent = (count: number): Uint8Array => {
  const cpCount = CP_SHARED + 2 * count
  const typesBase = 2 + 2 * cpCount
  const typeAt = [typesBase, typesBase + TYPES[0]!.length, typesBase + TYPES[0]!.length + TYPES[1]!.length]
  const method = (token: number, flags: number, at: number, type: number, bytes: number) =>
    concat(Uint8Array.of(token, flags), u2(at), u2(type), u2(bytes - 2), u2(0), u2(0))
  const classes: Uint8Array[] = [Uint8Array.of(count)]
  for (let i = 0; i < count; i++) {
    classes.push(Uint8Array.of(i, 0x01), u2(classAt(i)), Uint8Array.of(0), u2(0), u2(3))
    classes.push(method(1, 0x09, installAt(i), typeAt[1]!, INSTALL_BYTES)) // public static
    classes.push(method(0, 0x81, initAt(i), typeAt[0]!, INIT_BYTES)) // public, ACC_INIT
    classes.push(method(PROCESS_TOKEN, 0x01, processAt(i), typeAt[2]!, PROCESS_BYTES))
  }
  // Class references have no type (FFFF); <init> refs are ()V, register() is ()V too.
  const cpTypes = [0xffff, typeAt[0]!, typeAt[0]!]
  for (let i = 0; i < count; i++) cpTypes.push(0xffff, typeAt[0]!)
  return concat(...classes, u2(cpCount), ...cpTypes.map(u2), ...TYPES)
}

const ascii = (text: string): Uint8Array => Uint8Array.from(text, (c) => c.charCodeAt(0) & 0x7f)

/** The Load File Data Block's content: the CAP components in the order of JCVM §6.2. */
export const buildCap = (spec: CapSpec): Uint8Array => {
  const n = spec.appletAids.length
  if (n === 0 || n > 16) throw new RangeError("a twin CAP has 1-16 applets")
  const version = spec.version ?? { major: 1, minor: 0 }
  const name = ascii(spec.packageName)
  const header = concat(
    uintToBytes(CAP_MAGIC, 4),
    Uint8Array.of(CAP_VERSION.minor, CAP_VERSION.major, HeaderFlag.APPLET | HeaderFlag.EXPORT),
    Uint8Array.of(version.minor, version.major, spec.packageAid.length, ...spec.packageAid),
    Uint8Array.of(name.length, ...name),
  )
  const imports = Uint8Array.of(1, FRAMEWORK.minor, FRAMEWORK.major, FRAMEWORK.aid.length, ...FRAMEWORK.aid)
  const applets = concat(
    Uint8Array.of(n),
    ...spec.appletAids.map((aid, i) => concat(Uint8Array.of(aid.length), aid, u2(installAt(i)))),
  )
  const method = methodComponent(n)
  const byte2 = deltaOffsets(method.byte2Indices)
  const infos: ReadonlyArray<[CapTag, Uint8Array]> = [
    [CapTag.HEADER, header],
    [CapTag.IMPORT, imports],
    [CapTag.APPLET, applets],
    [CapTag.CLASS, classComponent(n)],
    [CapTag.METHOD, method.info],
    [CapTag.STATIC_FIELD, new Uint8Array(10)],
    [CapTag.EXPORT, Uint8Array.of(0)],
    [CapTag.CONSTANT_POOL, constantPool(n)],
    [CapTag.REFERENCE_LOCATION, concat(u2(0), u2(byte2.length), byte2)],
    [CapTag.DESCRIPTOR, descriptorComponent(n)],
  ]
  const sizes = new Array<number>(DIRECTORY_SIZES).fill(0)
  for (const [tag, info] of infos) sizes[tag - 1] = info.length
  // Directory: 12 sizes, static_field_size_info (3 × u2), import_count, applet_count, custom_count.
  sizes[CapTag.DIRECTORY - 1] = 2 * DIRECTORY_SIZES + 6 + 3
  const directory = concat(...sizes.map(u2), new Uint8Array(6), Uint8Array.of(1, n, 0))
  const [h, ...rest] = infos
  return concat(
    component(h![0], h![1]),
    component(CapTag.DIRECTORY, directory),
    ...rest.map(([t, i]) => component(t, i)),
  )
}
