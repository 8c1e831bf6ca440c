/**
 * The signed-envelope chain of one byte-level issuance (issue 12 item 3; DESIGN.md §4 "messages
 * between institutions carry SM2 signatures"): each institution seals its own envelope with its
 * own key from the run's PKI (model/host/pki/pilot-pki.ts, derived from `crypto.keySeed`) and the
 * receiver runs the full verifier (model/parties/messages/envelope-verifier.ts: certificate at
 * the MTPS CA, chain, SM2 signature, owner, revocation, validity, recipient, window, replay).
 *
 * Down: the home bank's order to its issuing TSM (local banks → the 贵州通 TSM; a national bank's
 * SP-TSM is its own sender), the TSM's request to MTPS, MTPS's to the user's SE issuer — each an
 * `SsdCreateRequest` re-sealed by the hop that forwards it. Up: the SE issuer's
 * `PersonalizationResponse` carrying the card's real result (outcome, APDUs run, last status
 * word) back the same way. A rejection anywhere fails the issuance with the verdict as reason.
 */
import { toHex } from "../../../bytes/hex.ts"
import { PBOC_AID } from "../../../card/applets/pboc/pboc-constants.ts"
import type { Crypto } from "../../../crypto/crypto.ts"
import { BANK_SSD_AID } from "../../../host/card-story/story-context.ts"
import type { InstitutionIdentity } from "../../../host/pki/certificate-authority.ts"
import { hashEntropy } from "../../../host/pki/entropy.ts"
import { type PilotPki, pilotPki } from "../../../host/pki/pilot-pki.ts"
import { MTPS_CA_ID } from "../../../host/pki/pilot-roster.ts"
import { EnvelopeSealer } from "../../../parties/messages/envelope-sealer.ts"
import { EnvelopeVerifier, WINDOW_US_DEFAULT } from "../../../parties/messages/envelope-verifier.ts"
import type { Message } from "../../../parties/messages/messages.ts"

/**
 * The pilot's local banks as certificate holders: they sign their own issuance orders to the
 * 贵州通 TSM. The twin's ids (assumption: the pilot documents name the banks, not their PKI ids).
 */
export const LOCAL_BANK_INSTITUTIONS: ReadonlyArray<InstitutionIdentity> = [
  { id: "gyb-bank", name: { country: "CN", organization: "贵阳银行", commonName: "贵阳银行 issuance" } },
  { id: "gzb-bank", name: { country: "CN", organization: "贵州银行", commonName: "贵州银行 issuance" } },
  {
    id: "gyrcb-bank",
    name: { country: "CN", organization: "贵阳农商银行", commonName: "贵阳农商银行 issuance" },
  },
]

/** One envelope as it crossed, for `messages.ndjson` (hex, signer, receiver, verdict). */
export interface EnvelopeRecord {
  /** Civil time it was sent, µs since 1970. */
  readonly atUs: number
  readonly orderId: string
  readonly message: string
  readonly signer: string
  readonly receiver: string
  readonly hex: string
  readonly verdict: string
}

/** Who the chain's envelopes go between, for one issuance. */
export interface ChainRoute {
  /** The ordering bank's institution (a local bank, or a national bank's SP-TSM). */
  readonly bank: string
  /** The issuing TSM; equal to `bank` for a national bank's SP-TSM. */
  readonly tsm: string
  readonly seIssuer: string
}

export interface ChainCounts {
  signed: number
  verified: number
  rejected: number
}

/** One envelope a job's receiver accepted, as the job's result reports it. */
export interface AcceptedEnvelope {
  readonly receiver: string
  readonly sender: string
  readonly nonceHex: string
  /** When the receiver accepted it, µs of world time (the job's instant). */
  readonly atUs: number
}

/** What the SE issuer reports back after running the card work. */
export interface CardResult {
  readonly ok: boolean
  readonly apdus: number
  readonly lastStatusWord: number
}

export class EnvelopeChain {
  readonly pki: PilotPki
  readonly counts: ChainCounts = { signed: 0, verified: 0, rejected: 0 }
  /** Sees every envelope's bytes and record (the digest, messages.ndjson). */
  onEnvelope: ((bytes: Uint8Array, record: EnvelopeRecord) => void) | null = null
  /** A planted defect for tests: flips one signature bit of the envelopes this picks. */
  tamper: ((orderId: string, signer: string) => boolean) | null = null
  /**
   * Set by the byte plane (issuance-job.ts) for each job: its envelopes' entropy is named by the
   * job and the hop, not by the sealer's own count, so any runner seals the job's bytes alike.
   */
  private jobPurpose: string | null = null
  private jobHops = 0
  /**
   * The last job's envelopes its receivers accepted, in hop order (a prefix of its envelopes: the
   * chain stops at a rejection), for the kernel's run-wide replay check (cross-job-replays.ts);
   * emptied when the next job starts.
   */
  readonly accepted: AcceptedEnvelope[] = []
  /** The world's time zero, civil µs: accepted envelopes are reported in world time. */
  private readonly startUs: number
  private readonly sealers = new Map<string, EnvelopeSealer>()
  private readonly verifiers = new Map<string, EnvelopeVerifier>()

  constructor(
    crypto: Crypto,
    keySeed: string,
    /** The world's time zero in civil seconds: the PKI is set up then. */
    startS: number,
  ) {
    this.startUs = startS * 1_000_000
    this.pki = pilotPki(crypto, keySeed, MTPS_CA_ID, LOCAL_BANK_INSTITUTIONS, startS)
    const entropy = hashEntropy(crypto, `${keySeed}/envelopes`)
    for (const [id, key] of this.pki.keys) {
      const serial = this.pki.ca.certificateOf(id)!.serial
      const userId = this.pki.ca.userId
      this.sealers.set(
        id,
        new EnvelopeSealer({ crypto, institutionId: id, key, certificateSerial: serial, entropy, userId }),
      )
      this.verifiers.set(
        id,
        new EnvelopeVerifier({
          crypto,
          institutionId: id,
          directory: this.pki.ca,
          windowUs: WINDOW_US_DEFAULT,
        }),
      )
    }
  }

  /**
   * Every receiver checks every institution's certificate now, ahead of the traffic: then which
   * envelope first meets a certificate — which depends on how the jobs are spread over runners —
   * changes no job's operation counts (issuance-job.ts).
   */
  warm(): void {
    const serials = [...this.pki.keys.keys()].map((id) => this.pki.ca.certificateOf(id)!.serial)
    for (const verifier of this.verifiers.values()) for (const serial of serials) verifier.trust(serial)
  }

  /**
   * Names the next envelopes' draws by `purpose` (null: by the sealers' counts again). A job
   * starts an exchange of its own: the receivers forget the nonces of earlier jobs, so a job's
   * verdicts are the same on any runner, in any order — and the receivers here catch a replay
   * within the job only. Replays across jobs are caught by the kernel when it folds the job's
   * result, from the envelopes listed in `accepted` (cross-job-replays.ts).
   */
  setJobPurpose(purpose: string | null): void {
    this.jobPurpose = purpose
    this.jobHops = 0
    if (purpose === null) return
    this.accepted.length = 0
    for (const verifier of this.verifiers.values()) verifier.forgetReplays()
  }

  /** Sends `message` from `signer` to `receiver`; the receiver's verdict ("accepted" or a rejection). */
  hop(signer: string, receiver: string, orderId: string, message: Message, civilUs: number): string {
    const sealer = this.sealers.get(signer)
    const verifier = this.verifiers.get(receiver)
    if (sealer === undefined || verifier === undefined)
      throw new Error(`no institution ${sealer === undefined ? signer : receiver} in the pilot PKI`)
    const purpose =
      this.jobPurpose === null ? undefined : `${this.jobPurpose}/hop/${this.jobHops++}/${signer}`
    const bytes = sealer.seal(receiver, orderId, message, civilUs, purpose)
    this.counts.signed++
    if (this.tamper?.(orderId, signer) === true) bytes[bytes.length - 1]! ^= 0x01
    const checked = verifier.verify(bytes, civilUs)
    const verdict = checked.verdict
    this.counts.verified++
    if (verdict !== "accepted") this.counts.rejected++
    else if (this.jobPurpose !== null) {
      const { sender, nonce } = checked.envelope
      this.accepted.push({ receiver, sender, nonceHex: toHex(nonce), atUs: civilUs - this.startUs })
    }
    this.onEnvelope?.(bytes, {
      atUs: civilUs,
      orderId,
      message: message._tag,
      signer,
      receiver,
      hex: toHex(bytes),
      verdict,
    })
    return verdict
  }

  /**
   * The order's way down to the SE issuer, `work` on the card there, and the result's way back.
   * Null when every envelope was accepted and the card work succeeded; else the reason.
   */
  issue(
    route: ChainRoute,
    orderId: string,
    seId: string,
    civilUs: number,
    work: () => CardResult,
  ): string | null {
    const request: Message = {
      _tag: "SsdCreateRequest",
      attempt: 1,
      flow: "ota-issuance",
      seId,
      ssdAid: SSD_AID_HEX,
      serviceProviderId: route.bank,
    }
    const down =
      route.bank === route.tsm
        ? [route.tsm, "mtps", route.seIssuer]
        : [route.bank, route.tsm, "mtps", route.seIssuer]
    const refused = this.along(down, orderId, request, civilUs)
    if (refused !== null) return refused
    const result = work()
    const response: Message = {
      _tag: "PersonalizationResponse",
      attempt: 1,
      seId,
      aid: PBOC_AID_HEX,
      outcome: result.ok ? "done" : "failed",
      executedCount: Math.min(result.apdus, 0xffff),
      lastStatusWord: result.lastStatusWord,
      responses: [],
    }
    const back = this.along([...down].reverse(), orderId, response, civilUs)
    if (back !== null) return back
    return result.ok ? null : `the SE answered ${result.lastStatusWord.toString(16).toUpperCase()}`
  }

  private along(
    path: ReadonlyArray<string>,
    orderId: string,
    message: Message,
    civilUs: number,
  ): string | null {
    for (let i = 0; i + 1 < path.length; i++) {
      const verdict = this.hop(path[i]!, path[i + 1]!, orderId, message, civilUs)
      if (verdict !== "accepted") return `${path[i + 1]} rejected ${path[i]}'s envelope: ${verdict}`
    }
    return null
  }
}

/** The bank SSD and the PBOC debit instance the story installs (story-context.ts, pboc-constants.ts). */
const SSD_AID_HEX = toHex(BANK_SSD_AID)
const PBOC_AID_HEX = toHex(PBOC_AID.debit)
