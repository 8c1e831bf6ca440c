/**
 * Fixed values of the PBOC 3.0 payment applet: AIDs, tags, the DGIs of its personalization map,
 * the data object lists its records announce, and the bits it reads in terminal data.
 *
 * PROTOCOLS.md §2.2 records the AIDs and e-cash tags as commonly cited values without a citable
 * file; they are used here as such.
 */
import { hex } from "../../../bytes/hex.ts"

/** PBOC application identifiers (PROTOCOLS.md §2.2). */
export const PBOC_AID = {
  debit: hex("A000000333010101"),
  credit: hex("A000000333010102"),
  quasiCredit: hex("A000000333010103"),
  ecash: hex("A000000333010106"),
} as const

/** The contactless proximity payment system environment, "2PAY.SYS.DDF01" (EMV Book B §3.3). */
export const PPSE_NAME = new TextEncoder().encode("2PAY.SYS.DDF01")

/** Tags the applet reads or writes (EMV 4.3 Book 3 Annex A; PBOC e-cash per PROTOCOLS.md §2.2). */
export const TAG = {
  fci: 0x6f,
  dfName: 0x84,
  fciProprietary: 0xa5,
  fciDiscretionary: 0xbf0c,
  appTemplate: 0x61,
  aid: 0x4f,
  label: 0x50,
  priority: 0x87,
  record: 0x70,
  format1: 0x80,
  format2: 0x77,
  aip: 0x82,
  afl: 0x94,
  pdol: 0x9f38,
  cdol1: 0x8c,
  cdol2: 0x8d,
  track2: 0x57,
  pan: 0x5a,
  psn: 0x5f34,
  amount: 0x9f02,
  amountOther: 0x9f03,
  country: 0x9f1a,
  currency: 0x5f2a,
  tvr: 0x95,
  date: 0x9a,
  type: 0x9c,
  un: 0x9f37,
  ttq: 0x9f66,
  ecashTerminalSupport: 0x9f7a,
  arc: 0x8a,
  issuerAuthData: 0x91,
  ac: 0x9f26,
  cid: 0x9f27,
  iad: 0x9f10,
  atc: 0x9f36,
  lastOnlineAtc: 0x9f13,
  balance: 0x9f79,
  balanceLimit: 0x9f77,
  singleLimit: 0x9f78,
  resetThreshold: 0x9f6d,
  ecashAuthCode: 0x9f74,
  availableOffline: 0x9f5d,
  sdad: 0x9f4b,
  caIndex: 0x8f,
  issuerCertificate: 0x90,
  issuerRemainder: 0x92,
  issuerExponent: 0x9f32,
  iccCertificate: 0x9f46,
  iccExponent: 0x9f47,
  iccRemainder: 0x9f48,
  staticTagList: 0x9f4a,
  signedStaticData: 0x93,
  ddol: 0x9f49,
  pinTryCounter: 0x9f17,
  lcol: 0x9f14,
  ucol: 0x9f23,
  cvmList: 0x8e,
  issuerScriptResults: 0x9f5b,
  profile: 0xdf60,
  dki: 0xdf61,
} as const

/**
 * The applet's personalization map (EMV CPS v1.1 §5 conventions where they exist):
 * - 0101..1E10 (SFI ‖ record number): a record template 70 as READ RECORD returns it (CPS §5.2);
 * - 8000: MK-AC ‖ MK-SMI ‖ MK-SMC, 48 bytes, DEK-encrypted when STORE DATA P1 says so (CPS §5.4);
 * - 9102: the contents of the FCI proprietary template A5 returned by SELECT (CPS §5.5);
 * - 9104: GPO response data, TLVs 82 (AIP) and 94 (AFL) (CPS §5.5);
 * - 0D01: e-cash data, TLVs 9F79 9F77 9F78 9F6D (n12 each) — twin convention, CPS leaves
 *   application-internal data to the application;
 * - 0D02: cryptogram profile, TLVs DF60 (AlgorithmProfile.code) and DF61 (DKI) — twin convention;
 * - 8101, 8102: the ICC private key for offline data authentication — 8101 = 01 ‖ part length ‖
 *   p ‖ q and 8102 = dp ‖ dq ‖ qInv for RSA, 8101 = 04 ‖ scalar for SM2 — each zero padded to a
 *   multiple of 16, twin layout (pboc-oda-key.ts), optional (a card without it has no ODA),
 *   DEK-encrypted like 8000.
 * - 8010: the reference PIN block (ISO 9564 format 2, zero padded to 16, DEK-encrypted) and
 *   9010: PIN try limit ‖ PIN try counter (EMV CPS names), optional (pboc-pin.ts).
 * A PPSE instance takes one DGI:
 * - 9102: the contents of its FCI discretionary template BF0C (the 61 application templates).
 */
export const DGI = {
  keys: 0x8000,
  fci: 0x9102,
  gpo: 0x9104,
  ecash: 0x0d01,
  profile: 0x0d02,
  iccPrivateKey: 0x8101,
  iccPrivateKeyCrt: 0x8102,
  offlinePin: 0x8010,
  pinCounters: 0x9010,
} as const

/** Terminal transaction qualifiers 9F66 byte 1 (qPBOC / Visa VCPS layout). */
export const TTQ_QPBOC = 0x20
/** TTQ byte 2: the reader demands an online cryptogram. */
export const TTQ_ONLINE_REQUIRED = 0x80

/** GENERATE AC P1 reference control (EMV 4.3 Book 3 §6.5.5, Table 12). */
export const AC_TYPE = { aac: 0x00, tc: 0x40, arqc: 0x80 } as const

/** CID 9F27 values (Book 3 Table 15): AC type in b8-b7. */
export const CID = { aac: 0x00, tc: 0x40, arqc: 0x80 } as const

/** "ECC001", the e-cash issuer authorization code of an offline e-cash approval (PROTOCOLS.md §2.2). */
export const ECASH_AUTH_CODE = new TextEncoder().encode("ECC001")

/** Country and currency code of China, n3 in 2 bytes (ISO 3166 / ISO 4217: 156). */
export const CNY = hex("0156")

/**
 * The PDOL the issuer's data preparation puts into 9102 and the terminal kernel fills: the qPBOC
 * set of PROTOCOLS.md §2.2 plus the Book 2 Table 26 minimum cryptogram data.
 */
export const DEFAULT_PDOL = hex("9F66049F02069F03069F1A0295055F2A029A039C019F37049F7A01")

/** CDOL1: exactly the Book 2 §8.1.1 Table 26 terminal data, 29 bytes. */
export const DEFAULT_CDOL1 = hex("9F02069F03069F1A0295055F2A029A039C019F3704")

/** CDOL2: authorisation response code, TVR and a fresh unpredictable number. */
export const DEFAULT_CDOL2 = hex("8A0295059F3704")
