/**
 * The CAP file format's fixed facts (Java Card 2.2.2 Virtual Machine Specification, Chapter 6),
 * shared by the builder (cap-build.ts) and the card's reader (cap-read.ts): component tags, the
 * order in which components must appear in a Load File Data Block (§6.2: "Header, Directory,
 * Import, Applet, Class, Method, Static Field, Export, Constant Pool, Reference Location,
 * Descriptor (optional)", Debug last and optional), and the header constants (§6.3).
 */

/** Component tags, JCVM 2.2.2 §6.1 Table 6-1. */
export const CapTag = {
  HEADER: 1,
  DIRECTORY: 2,
  APPLET: 3,
  IMPORT: 4,
  CONSTANT_POOL: 5,
  CLASS: 6,
  METHOD: 7,
  STATIC_FIELD: 8,
  REFERENCE_LOCATION: 9,
  EXPORT: 10,
  DESCRIPTOR: 11,
  DEBUG: 12,
} as const
export type CapTag = (typeof CapTag)[keyof typeof CapTag]

/** The install order of §6.2, with whether each component may be left out. */
export const CAP_ORDER: ReadonlyArray<{ readonly tag: CapTag; readonly optional: boolean }> = [
  { tag: CapTag.HEADER, optional: false },
  { tag: CapTag.DIRECTORY, optional: false },
  { tag: CapTag.IMPORT, optional: false },
  // No Applet component in a library package (§6.5).
  { tag: CapTag.APPLET, optional: true },
  { tag: CapTag.CLASS, optional: false },
  { tag: CapTag.METHOD, optional: false },
  { tag: CapTag.STATIC_FIELD, optional: false },
  // No Export component when the package exports nothing (§6.12).
  { tag: CapTag.EXPORT, optional: true },
  { tag: CapTag.CONSTANT_POOL, optional: false },
  { tag: CapTag.REFERENCE_LOCATION, optional: false },
  { tag: CapTag.DESCRIPTOR, optional: true },
  { tag: CapTag.DEBUG, optional: true },
]

/**
 * The Directory's component_sizes array is indexed by tag - 1 and has 12 entries in CAP format
 * 2.2 (§6.4: the Debug component's size is its last entry, 0 when absent).
 */
export const DIRECTORY_SIZES = 12

/** `u4 magic` of the Header component (§6.3). */
export const CAP_MAGIC = 0xdecaffed
/** CAP format version 2.2 (§6.3: minor_version 2, major_version 2). */
export const CAP_VERSION = { major: 2, minor: 2 } as const

/** Header flags (§6.3 Table 6-3). */
export const HeaderFlag = { INT: 0x01, EXPORT: 0x02, APPLET: 0x04 } as const

/** Bounds the card relies on: an AID is 5-16 bytes (ISO 7816-5); a package has at most 255 applets. */
export const AID_BYTES_MIN = 5
export const AID_BYTES_MAX = 16
