/**
 * Card issuance (pre-personalization by the SE maker): the first persistent image of a card,
 * holding the ISD with its initial key set and the built-in security-domain load file, so that
 * SSDs can be created with INSTALL [for install] naming that file's module (GP 2.3 §7.2).
 */
import { hex } from "../../bytes/hex.ts"
import type { CardProfile } from "../profile.ts"
import { encodeDelegatedManagement } from "./delegated-management-keys.ts"
import { encodeImage } from "./image.ts"
import {
  AppLifeCycle,
  CardLifeCycle,
  type CardState,
  EntryKind,
  KeyType,
  newEntry,
  Privilege,
} from "./registry.ts"

/** GP's security-domain package and module AIDs, as cards commonly expose them. */
export const SECURITY_DOMAIN_LOAD_FILE_AID = hex("A0000001515350")
export const SECURITY_DOMAIN_MODULE_AID = hex("A000000151535041")

/** The ISD holds every card-wide privilege except DAP ones (GP 2.3 §6.6.2). */
export const ISD_PRIVILEGES =
  Privilege.SECURITY_DOMAIN |
  Privilege.CARD_LOCK |
  Privilege.CARD_TERMINATE |
  Privilege.CARD_RESET |
  Privilege.CVM_MANAGEMENT |
  Privilege.TRUSTED_PATH |
  Privilege.AUTHORIZED_MANAGEMENT |
  Privilege.TOKEN_MANAGEMENT |
  Privilege.GLOBAL_DELETE |
  Privilege.GLOBAL_LOCK |
  Privilege.GLOBAL_REGISTRY |
  Privilege.FINAL_APPLICATION

export interface CardIssuance {
  /** CPLC IC serial number, 4 bytes. */
  readonly serial: Uint8Array
  /** The ISD's initial key set (e.g. the telco's diversified keys). */
  readonly isdKeys: {
    readonly kvn: number
    readonly enc: Uint8Array
    readonly mac: Uint8Array
    readonly dek: Uint8Array
  }
  /**
   * The card issuer's Delegated Management keys (GP 2.2 §9.3): the 3DES receipt generation key
   * and the SM2 token verification key. Without them, Delegated Management domains can do nothing.
   */
  readonly delegatedManagement?: {
    readonly receiptKey: Uint8Array
    readonly tokenKey: { readonly x: bigint; readonly y: bigint }
  }
  /** Card life cycle at delivery; SECURED unless a test wants an earlier state. */
  readonly lifeCycle?: CardLifeCycle
}

export const keyTypeOf = (profile: CardProfile): KeyType =>
  profile.scp.protocol === "SCP02"
    ? KeyType.DES
    : profile.scp.protocol === "SCP03"
      ? KeyType.AES
      : KeyType.SM4

export const issueCardState = (profile: CardProfile, issuance: CardIssuance): CardState => {
  if (issuance.serial.length !== 4) throw new RangeError("the CPLC IC serial has 4 bytes")
  const { kvn, enc, mac, dek } = issuance.isdKeys
  const isd = newEntry({
    kind: EntryKind.ISD,
    id: 1,
    aid: profile.isdAid.slice(),
    lifeCycle: issuance.lifeCycle ?? CardLifeCycle.SECURED,
    privileges: ISD_PRIVILEGES,
    sdId: 1,
    keySets: [{ kvn, type: keyTypeOf(profile), enc: enc.slice(), mac: mac.slice(), dek: dek.slice() }],
  })
  const dm = issuance.delegatedManagement
  if (dm !== undefined) {
    if (dm.receiptKey.length !== 16) throw new RangeError("the receipt generation key is a 16-byte 3DES key")
    isd.state = encodeDelegatedManagement({
      receiptKey: dm.receiptKey.slice(),
      tokenKey: dm.tokenKey,
      confirmationCounter: 0,
      lastTokenId: 0,
    })
  }
  const sdPackage = newEntry({
    kind: EntryKind.LOAD_FILE,
    id: 2,
    aid: SECURITY_DOMAIN_LOAD_FILE_AID.slice(),
    lifeCycle: AppLifeCycle.LOADED,
    sdId: 1,
    moduleAids: [SECURITY_DOMAIN_MODULE_AID.slice()],
  })
  return {
    lifeCycle: issuance.lifeCycle ?? CardLifeCycle.SECURED,
    serial: issuance.serial.slice(),
    entries: [isd, sdPackage],
  }
}

/** The image of a freshly issued card, ready for `createCard`. */
export const issueCardImage = (profile: CardProfile, issuance: CardIssuance): Uint8Array =>
  encodeImage(issueCardState(profile, issuance))
