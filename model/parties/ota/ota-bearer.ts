/**
 * OTA bearers as named data (ETSI TS 102 225/226 remote APDU management; GP Amendment B for HTTP):
 * how a script reaches the SE and its answers come back, as a delivery-latency range, a per-attempt
 * failure ratio and, for SMS-PP, segmentation. Figures, per CALIBRATION.md §2.4 (and "assumption"
 * where no public figure exists):
 * - SMS-PP: one SMS 6-8 s (ETSI EMTEL/ITU-T workshop slide, confidence M); ~140 octets of user data
 *   per SMS (sim-stk.blogspot.com, M), so a script of n bytes takes ⌈n/140⌉ SMS; each further SMS
 *   adds the SMSC's 1-2 s storage time (same slide). Per-attempt failure 10 % (the upper end of the
 *   2-10 % assumption: 38 % of first SMS attempts fail with the phone off, most later succeed).
 * - BIP: a TCP channel opened by the UICC (ETSI TS 102 223); a batch round trip 0.5-2 s
 *   (assumption from 150-800 ms per APDU round trip, §2.4 assumption 1, with channel set-up);
 *   failure 5 % (assumption, middle of 2-10 %).
 * - HTTP admin (HTTPS, GP Amendment B, or the wallet's HTTPS relay): 0.3-1.5 s per round trip
 *   (assumption from the same 150-800 ms figure); failure 2 % (the low end of 2-10 %).
 *
 * What each carries as bytes, and the time those bytes take, is model/ota/ota-delivery.ts
 * (`planOtaDelivery`: SMS-PP packets and concatenated SMS, BIP as CAT-TP PDUs, HTTP admin messages).
 *
 * Bearer choice per telco (the scenarios' `otaBearers`, e.g. the issuance workbench
 * test/model/world/issuance/issuance-workbench.json; the
 * reasons are the twin's assumptions, no public source gives the pilot's telco configurations):
 * - China Mobile (cmcc) and China Unicom (cucc): BIP — NFC-SIMs (SWP) of the pilot years had
 *   BIP/CAT-TP for large applet loads, and a PBOC load file takes a dozen SMS or more;
 * - China Telecom (ctcc): SMS-PP — an OTA platform on its CDMA network is assumed SMS-based, so
 *   its scripts go as packets of one SMS, concatenated where longer;
 * - NFC-SD (microSD) and eSE issuers: HTTP admin — these SEs have no SIM toolkit, so SMS-PP and
 *   BIP cannot reach them; the handset's admin agent speaks GP Amendment B (or SERAM) over HTTPS.
 */
import type { Stream } from "../../../sim/kernel/port.ts"

export type OtaBearerName = "sms-pp" | "bip" | "http-admin"

export interface OtaBearer {
  readonly name: OtaBearerName
  /** One-way delivery of one message (or its first segment), µs. */
  readonly latencyUsMin: number
  readonly latencyUsMax: number
  /** Delivery attempts that fail, per mille (the handset off, out of coverage, a dropped channel). */
  readonly lossPermille: number
  /** User-data bytes per segment; 0 for a bearer that does not segment. */
  readonly segmentBytes: number
  /** Added per segment after the first. */
  readonly segmentUsMin: number
  readonly segmentUsMax: number
}

export const OTA_BEARERS: Readonly<Record<OtaBearerName, OtaBearer>> = {
  "sms-pp": {
    name: "sms-pp",
    latencyUsMin: 6_000_000,
    latencyUsMax: 8_000_000,
    lossPermille: 100,
    segmentBytes: 140,
    segmentUsMin: 1_000_000,
    segmentUsMax: 2_000_000,
  },
  bip: {
    name: "bip",
    latencyUsMin: 500_000,
    latencyUsMax: 2_000_000,
    lossPermille: 50,
    segmentBytes: 0,
    segmentUsMin: 0,
    segmentUsMax: 0,
  },
  "http-admin": {
    name: "http-admin",
    latencyUsMin: 300_000,
    latencyUsMax: 1_500_000,
    lossPermille: 20,
    segmentBytes: 0,
    segmentUsMin: 0,
    segmentUsMax: 0,
  },
}

/** The bearer's latency distribution for a Link. */
export const bearerLatencyUs =
  (bearer: OtaBearer) =>
  (s: Stream): number =>
    bearer.latencyUsMin + s.below(bearer.latencyUsMax - bearer.latencyUsMin + 1)

/** Extra time a message of `bytes` spends in segments after the first (0 when unsegmented). */
export const segmentDelayUs = (bearer: OtaBearer, bytes: number, s: Stream): number => {
  if (bearer.segmentBytes === 0) return 0
  const extra = Math.max(0, Math.ceil(bytes / bearer.segmentBytes) - 1)
  let delayUs = 0
  for (let i = 0; i < extra; i++)
    delayUs += bearer.segmentUsMin + s.below(bearer.segmentUsMax - bearer.segmentUsMin + 1)
  return delayUs
}
