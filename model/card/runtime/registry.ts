/**
 * The GP registry (GP Card Spec 2.3 §5, §6.4): the card life cycle, the entries for security
 * domains, executable load files and applications, their life cycles and privileges, and the key
 * sets of each security domain. Life cycles are closed enums tied to their byte values
 * (GP 2.3 §5.1 Table 5-1, §5.3 Tables 5-2..5-4); privileges are the 3-byte C5 bitmap (§6.6.1).
 */

/** Card (= ISD) life cycle, GP 2.3 §5.1.1. */
export const CardLifeCycle = {
  OP_READY: 0x01,
  INITIALIZED: 0x07,
  SECURED: 0x0f,
  CARD_LOCKED: 0x7f,
  TERMINATED: 0xff,
} as const
export type CardLifeCycle = (typeof CardLifeCycle)[keyof typeof CardLifeCycle]

/** Application and security domain life cycle, GP 2.3 §5.3.1-§5.3.2. The lock is bit 0x80. */
export const AppLifeCycle = {
  LOADED: 0x01,
  INSTALLED: 0x03,
  SELECTABLE: 0x07,
  PERSONALIZED: 0x0f,
  LOCKED_BIT: 0x80,
} as const

export const isLocked = (lifeCycle: number): boolean => (lifeCycle & AppLifeCycle.LOCKED_BIT) !== 0

/** Privileges, GP 2.3 §6.6.1 Table 6-1 (byte 1 ‖ byte 2 ‖ byte 3). */
export const Privilege = {
  SECURITY_DOMAIN: 0x800000,
  DAP_VERIFICATION: 0x400000,
  DELEGATED_MANAGEMENT: 0x200000,
  CARD_LOCK: 0x100000,
  CARD_TERMINATE: 0x080000,
  CARD_RESET: 0x040000,
  CVM_MANAGEMENT: 0x020000,
  MANDATED_DAP: 0x010000,
  TRUSTED_PATH: 0x008000,
  AUTHORIZED_MANAGEMENT: 0x004000,
  TOKEN_MANAGEMENT: 0x002000,
  GLOBAL_DELETE: 0x001000,
  GLOBAL_LOCK: 0x000800,
  GLOBAL_REGISTRY: 0x000400,
  FINAL_APPLICATION: 0x000200,
  GLOBAL_SERVICE: 0x000100,
} as const

export const hasPrivilege = (privileges: number, privilege: number): boolean => (privileges & privilege) !== 0

/** Entry kinds, with the byte each one has in the image. */
export const EntryKind = { ISD: 0, SSD: 1, LOAD_FILE: 2, APPLICATION: 3 } as const
export type EntryKind = (typeof EntryKind)[keyof typeof EntryKind]

/** PUT KEY key types (GP 2.3 §11.8.2.3 Table 11-16); 0x8A is the twin's SM4 type (sm4-profile.ts). */
export const KeyType = { DES: 0x80, AES: 0x88, SM4: 0x8a } as const
export type KeyType = (typeof KeyType)[keyof typeof KeyType]

export interface KeySet {
  kvn: number
  type: KeyType
  enc: Uint8Array
  mac: Uint8Array
  dek: Uint8Array
}

/** Bound on key sets per security domain (GP allows 127 KVNs; the twin needs one or two). */
export const KEY_SETS_MAX = 4
/** Bound on registry entries (ISD, SSDs, load files, applications) per card. */
export const ENTRIES_MAX = 32

export interface RegistryEntry {
  kind: EntryKind
  /** Unique per card, 1..255; other entries refer to it (associated SD, load file). */
  id: number
  aid: Uint8Array
  lifeCycle: number
  privileges: number
  /** Id of the associated security domain (the ISD refers to itself). */
  sdId: number
  /** Security domains: key sets and the sequence counter (SCP02 uses the low 2 bytes). */
  keySets: KeySet[]
  sequenceCounter: number
  /** Applications and SSDs: [the name of their applet class]. */
  classNames: string[]
  /**
   * Load files: the Executable Module AIDs of the load file (its CAP Applet component's applet
   * AIDs, GP 2.3 §5.1.1), which INSTALL [for install] names and GET STATUS P1 10 lists.
   */
  moduleAids: Uint8Array[]
  /** Applications: id of the load file they came from (0 for built-in security domains). */
  loadFileId: number
  /** Applications: the instance's persistent bytes. */
  state: Uint8Array
}

export interface CardState {
  lifeCycle: CardLifeCycle
  /** CPLC IC serial number (GP 2.3 Table H-2), also the base of the key diversification data. */
  serial: Uint8Array
  entries: RegistryEntry[]
}

/** The applet class name of built-in security domains (SSD entries carry it). */
export const SECURITY_DOMAIN_CLASS = "security-domain"

export const newEntry = (
  fields: Partial<RegistryEntry> & Pick<RegistryEntry, "kind" | "id" | "aid">,
): RegistryEntry => ({
  lifeCycle: AppLifeCycle.INSTALLED,
  privileges: 0,
  sdId: 0,
  keySets: [],
  sequenceCounter: 0,
  classNames: [],
  moduleAids: [],
  loadFileId: 0,
  state: new Uint8Array(0),
  ...fields,
})

export const findById = (state: CardState, id: number): RegistryEntry | undefined =>
  state.entries.find((e) => e.id === id)

export const findByAid = (state: CardState, aid: Uint8Array): RegistryEntry | undefined =>
  state.entries.find((e) => sameAid(e.aid, aid))

export const sameAid = (a: Uint8Array, b: Uint8Array): boolean =>
  a.length === b.length && a.every((byte, i) => byte === b[i])

export const isSecurityDomain = (entry: RegistryEntry): boolean =>
  entry.kind === EntryKind.ISD || entry.kind === EntryKind.SSD

export const freeId = (state: CardState): number | undefined => {
  for (let id = 1; id < 256; id++) if (findById(state, id) === undefined) return id
  return undefined
}
