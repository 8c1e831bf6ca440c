/**
 * The issuer's data preparation for a PBOC card (EMV CPS v1.1 §3: the data preparation system
 * turns account data and keys into DGIs): the STORE DATA payloads for one payment instance and
 * for the PPSE, in the DGI map of model/card/applets/pboc/pboc-constants.ts.
 */
import { concat } from "../../bytes/bytes.ts"
import type { AlgorithmProfile } from "../../card/applets/pboc/algorithm-profile.ts"
import { encodeN12 } from "../../card/applets/pboc/n12-amount.ts"
import {
  DEFAULT_CDOL1,
  DEFAULT_CDOL2,
  DEFAULT_PDOL,
  DGI,
  TAG,
} from "../../card/applets/pboc/pboc-constants.ts"
import { format2Block, PIN_TRY_LIMIT_DEFAULT } from "../../card/applets/pboc/pboc-pin.ts"
import type { Crypto } from "../../crypto/crypto.ts"
import { constructed, encodeTlv, tlv } from "../../tlv/ber-tlv.ts"
import { type Dgi, encodeDgiList } from "../../tlv/dgi.ts"
import { type OdaPersonalization, oda } from "../oda/oda-personalization.ts"
import { type CvmList, encodeCvmList } from "../terminal/cvm-list.ts"
import { type CardAccount, deriveIccMasterKeys, type IssuerMasterKeys } from "./issuer-keys.ts"

export interface PbocCardData {
  readonly profile: AlgorithmProfile
  readonly account: CardAccount
  /** Expiry YYMM as 4 digits. */
  readonly expiryYymm: string
  readonly label: string
  readonly aid: Uint8Array
  readonly dki: number
  readonly balanceFen: number
  readonly balanceLimitFen: number
  readonly singleLimitFen: number
  readonly resetThresholdFen: number
  /** Offline data authentication (fDDA) material; absent = a card without ODA (AIP 1C 00). */
  readonly oda?: OdaPersonalization
  /** An offline (reference) PIN, DGI 8010 + 9010 (pboc-pin.ts); absent = online PIN only. */
  readonly offlinePin?: string
  /** Lower and upper consecutive offline limits 9F14/9F23 in record 2 (pboc-velocity.ts); absent = none. */
  readonly velocity?: { readonly lcol: number; readonly ucol: number }
  /** The CVM list 8E in record 2 (cvm-list.ts), for the standard path; absent = none. */
  readonly cvmList?: CvmList
}

/**
 * AIP 1C 00: cardholder verification, terminal risk management and issuer authentication
 * supported (Book 3 Annex C1); no offline data authentication, which this applet does not model.
 */
export const PBOC_AIP = new Uint8Array([0x1c, 0x00])
/** AFL: SFI 1, records 1-2, none for offline data authentication (Book 3 §10.2). */
export const PBOC_AFL = new Uint8Array([0x08, 0x01, 0x02, 0x00])

const digits = (text: string): Uint8Array => {
  const padded = text.length % 2 === 0 ? text : `${text}F`
  const out = new Uint8Array(padded.length / 2)
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(padded.slice(2 * i, 2 * i + 2), 16)
  return out
}

/** Track 2 equivalent data 57: PAN D YYMM service code 220 discretionary, F-padded (Book 3 Annex A). */
const track2 = (data: PbocCardData): Uint8Array =>
  digits(`${data.account.pan}D${data.expiryYymm}2200000000000`)

export const records = (data: PbocCardData): Dgi[] => [
  { dgi: 0x0101, value: encodeTlv(constructed(TAG.record, [tlv(TAG.track2, track2(data))])) },
  {
    dgi: 0x0102,
    value: encodeTlv(
      constructed(TAG.record, [
        tlv(TAG.pan, digits(data.account.pan)),
        tlv(0x5f24, digits(`${data.expiryYymm}31`)),
        tlv(TAG.psn, digits(data.account.psn ?? "00")),
        tlv(TAG.cdol1, DEFAULT_CDOL1),
        tlv(TAG.cdol2, DEFAULT_CDOL2),
        ...(data.cvmList === undefined ? [] : [tlv(TAG.cvmList, encodeCvmList(data.cvmList))]),
        ...(data.velocity === undefined
          ? []
          : [
              tlv(TAG.lcol, Uint8Array.of(data.velocity.lcol)),
              tlv(TAG.ucol, Uint8Array.of(data.velocity.ucol)),
            ]),
      ]),
    ),
  },
]

/** The DGIs of one payment instance; the keys travel in DGI 8000 in plain (see `encryptKeys`). */
export const preparePbocDgis = (crypto: Crypto, imks: IssuerMasterKeys, data: PbocCardData): Dgi[] => {
  const mks = deriveIccMasterKeys(crypto, data.profile, imks, data.account)
  const label = new TextEncoder().encode(data.label)
  const base = records(data)
  const withOda = data.oda === undefined ? undefined : oda(crypto, data.oda, data.account.pan, base)
  return [
    ...base,
    ...(withOda?.dgis ?? []),
    { dgi: DGI.keys, value: concat(mks.mkAc, mks.mkSmi, mks.mkSmc) },
    {
      dgi: DGI.fci,
      value: encodeTlv([
        tlv(TAG.label, label),
        tlv(TAG.priority, new Uint8Array([1])),
        tlv(TAG.pdol, DEFAULT_PDOL),
      ]),
    },
    {
      dgi: DGI.gpo,
      value: encodeTlv([tlv(TAG.aip, withOda?.aip ?? PBOC_AIP), tlv(TAG.afl, withOda?.afl ?? PBOC_AFL)]),
    },
    {
      dgi: DGI.ecash,
      value: encodeTlv([
        tlv(TAG.balance, encodeN12(data.balanceFen)),
        tlv(TAG.balanceLimit, encodeN12(data.balanceLimitFen)),
        tlv(TAG.singleLimit, encodeN12(data.singleLimitFen)),
        tlv(TAG.resetThreshold, encodeN12(data.resetThresholdFen)),
      ]),
    },
    ...(data.offlinePin === undefined ? [] : pinDgis(data.offlinePin)),
    {
      dgi: DGI.profile,
      value: encodeTlv([
        tlv(TAG.profile, new Uint8Array([data.profile.code])),
        tlv(TAG.dki, new Uint8Array([data.dki])),
      ]),
    },
  ]
}

/** 8010: the format 2 block zero padded to 16 (for any DEK); 9010: try limit 3, counter 3. */
const pinDgis = (pin: string): Dgi[] => {
  const block = new Uint8Array(16)
  block.set(format2Block(pin))
  return [
    { dgi: DGI.offlinePin, value: block },
    { dgi: DGI.pinCounters, value: Uint8Array.of(PIN_TRY_LIMIT_DEFAULT, PIN_TRY_LIMIT_DEFAULT) },
  ]
}

/** The PPSE's one DGI: 61 templates (4F AID, 50 label, 87 priority) for the given instances. */
export const preparePpseDgi = (
  apps: ReadonlyArray<{ aid: Uint8Array; label: string; priority: number }>,
): Dgi => ({
  dgi: DGI.fci,
  value: encodeTlv(
    apps.map((app) =>
      constructed(TAG.appTemplate, [
        tlv(TAG.aid, app.aid),
        tlv(TAG.label, new TextEncoder().encode(app.label)),
        tlv(TAG.priority, new Uint8Array([app.priority])),
      ]),
    ),
  ),
})

/** STORE DATA payloads: one DGI per block, as data preparation systems commonly send them. */
export const storeDataBlocks = (dgis: ReadonlyArray<Dgi>): Uint8Array[] => dgis.map((d) => encodeDgiList([d]))
