/**
 * An SE issuer's TSM (China Mobile / Unicom / Telecom for NFC-SIMs; a handset maker for NFC-SD
 * and eSE): it holds every SE's ISD keys, creates an SP's SSD on request (INSTALL [for install]
 * with Authorized Management, INSTALL [for personalization], PUT KEY under the ISD session's DEK),
 * deletes SSDs, and relays SP scripts, all over its OTA bearer (SMS-PP / BIP / HTTP admin) — a
 * pair of links whose latency and loss are the bearer's delivery model.
 *
 * Requests are idempotent by order id: a repeated order that finished is answered again from the
 * record; one still running is ignored (its answer will come). A create is itself idempotent on
 * the card: the script first DELETEs the SSD with related objects and tolerates 6A88, so a retry
 * after a lost answer does not trip over the SSD its first attempt made. The new SSD's key set
 * goes back SM2-encrypted (C1‖C3‖C2) to the requesting SP's public key.
 */

import type { HandlerId } from "../../../sim/kernel/kernel.ts"
import type { Link } from "../../../sim/network/link.ts"
import type { CommandApdu } from "../../apdu/command.ts"
import { concat } from "../../bytes/bytes.ts"
import { hex, toHex } from "../../bytes/hex.ts"
import { SECURITY_DOMAIN_LOAD_FILE_AID, SECURITY_DOMAIN_MODULE_AID } from "../../card/runtime/issuance.ts"
import { Privilege } from "../../card/runtime/registry.ts"
import type { StaticKeys } from "../../card/secure-channel/secure-channel.ts"
import { SM2P256V1 } from "../../crypto/sm2/curve.ts"
import { deleteAid, installForInstall, installForPersonalization, putKey } from "../../host/gp/gp-commands.ts"
import type { Envelope } from "../exchange/envelope.ts"
import type { Institution } from "../exchange/institution.ts"
import type { CreateSsd, PartyMessage } from "../exchange/party-messages.ts"
import {
  checkRound,
  commandRound,
  type DomainAccess,
  describeFailure,
  openingRound,
} from "../ota/domain-script.ts"
import type { OtaDown, OtaUp } from "../ota/seram.ts"

export interface SeIssuerOptions {
  /** The MTPS id: every request comes from it and every answer goes to it. */
  readonly hubId: string
  /** How long one OTA script may take before the issuer counts it lost. */
  readonly otaTimeoutUs: number
  /** OTA deliveries per request before answering a retryable nack. */
  readonly otaAttemptsMax: number
  /** Draws n fresh bytes (challenges, SSD keys) from the issuer's seeded stream. */
  readonly draw: (n: number) => Uint8Array
}

interface SeRecord {
  readonly access: DomainAccess
}

interface Job {
  /** The idempotence key: order id and request kind (and the script's exchange id). */
  readonly key: string
  readonly orderId: string
  readonly body: PartyMessage
  attempt: number
  round: 1 | 2
  hostChallenge: Uint8Array
  sent: number
  ssdKeys: StaticKeys | null
  exchangeId: string
}

const DELETE_NOT_FOUND = 0x6a88

export class SeIssuer {
  private readonly ses = new Map<string, SeRecord>()
  private readonly finished = new Map<string, PartyMessage>()
  private readonly running = new Map<string, Job>()
  private readonly byExchange = new Map<string, Job>()
  private readonly timeout: HandlerId<Job>
  otaDown: Link<OtaDown> | null = null
  private exchanges = 0

  constructor(
    readonly institution: Institution,
    private readonly options: SeIssuerOptions,
  ) {
    this.timeout = institution.port.register<Job>(`se-issuer.timeout:${institution.id}`, (attempt, job) =>
      this.onTimeout(job, attempt),
    )
  }

  /** Records a manufactured SE: its ISD (AID, key version, keys, secure channel protocol). */
  enrol(seId: string, access: DomainAccess): void {
    this.ses.set(seId, { access })
  }

  isdAccess(seId: string): DomainAccess | undefined {
    return this.ses.get(seId)?.access
  }

  receive(e: Envelope): void {
    const opened = this.institution.admit(e)
    if (opened === null) return
    const b = opened.body
    if (b.kind !== "create-ssd" && b.kind !== "delete-ssd" && b.kind !== "ota-script") return
    const key = requestKey(opened.orderId, b)
    const done = this.finished.get(key)
    if (done !== undefined) return void this.answer(opened.orderId, done)
    if (this.running.has(key)) return
    if (!this.ses.has(b.seId))
      return void this.answer(opened.orderId, { kind: "nack", reason: "unknown SE", retryable: false })
    const job: Job = {
      key,
      orderId: opened.orderId,
      body: b,
      attempt: 0,
      round: 1,
      hostChallenge: new Uint8Array(0),
      sent: 0,
      ssdKeys: null,
      exchangeId: "",
    }
    this.running.set(key, job)
    this.deliverRound1(job)
  }

  private answer(orderId: string, body: PartyMessage): void {
    this.institution.send(this.options.hubId, orderId, body)
  }

  private finish(job: Job, body: PartyMessage): void {
    this.running.delete(job.key)
    this.byExchange.delete(job.exchangeId)
    if (body.kind !== "nack") this.finished.set(job.key, body)
    this.answer(job.orderId, body)
  }

  private deliver(job: Job, capdus: ReadonlyArray<Uint8Array>): void {
    const link = this.otaDown
    if (link === null) throw new Error(`${this.institution.id}: no OTA bearer`)
    this.byExchange.delete(job.exchangeId)
    job.exchangeId = `${this.institution.id}/${++this.exchanges}`
    this.byExchange.set(job.exchangeId, job)
    job.sent = capdus.length
    const seId = (job.body as { seId: string }).seId
    this.institution.port.send(link, { seId, exchangeId: job.exchangeId, capdus })
    this.institution.port.after(this.options.otaTimeoutUs, this.timeout, job.attempt * 4 + job.round, job)
  }

  private deliverRound1(job: Job): void {
    job.attempt++
    job.round = 1
    const b = job.body
    if (b.kind === "ota-script") {
      job.round = 2
      return void this.deliver(
        job,
        b.capdus.map((c) => hex(c)),
      )
    }
    job.hostChallenge = this.options.draw(8)
    const access = this.ses.get((b as CreateSsd).seId)!.access
    this.deliver(job, openingRound(access, job.hostChallenge))
  }

  private onTimeout(job: Job, tag: number): void {
    if (this.running.get(job.key) !== job || tag !== job.attempt * 4 + job.round) return
    this.retryOrNack(job, "OTA script not answered")
  }

  private retryOrNack(job: Job, reason: string): void {
    if (job.attempt < this.options.otaAttemptsMax) return void this.deliverRound1(job)
    this.finish(job, { kind: "nack", reason, retryable: true })
  }

  onOta(m: OtaUp): void {
    const job = this.byExchange.get(m.exchangeId)
    if (job === undefined) return
    this.byExchange.delete(m.exchangeId)
    job.exchangeId = ""
    if (job.round === 1) return void this.onRound1(job, m.rapdus)
    this.onRound2(job, m.rapdus)
  }

  private onRound1(job: Job, rapdus: ReadonlyArray<Uint8Array>): void {
    const b = job.body as Extract<PartyMessage, { kind: "create-ssd" | "delete-ssd" }>
    const access = this.ses.get(b.seId)!.access
    const ssdAid = hex(b.ssdAid)
    const script = (channel: Parameters<Parameters<typeof commandRound>[4]>[0]): CommandApdu[] => {
      const remove = deleteAid(ssdAid, true)
      if (b.kind === "delete-ssd") return [remove]
      job.ssdKeys = { enc: this.options.draw(16), mac: this.options.draw(16), dek: this.options.draw(16) }
      return [
        remove,
        installForInstall({
          loadFileAid: SECURITY_DOMAIN_LOAD_FILE_AID,
          moduleAid: SECURITY_DOMAIN_MODULE_AID,
          aid: ssdAid,
          privileges: Privilege.SECURITY_DOMAIN | Privilege.AUTHORIZED_MANAGEMENT,
        }),
        installForPersonalization(ssdAid),
        putKey(
          this.institution.options.crypto,
          channel.encryptData,
          keyTypeOf(access),
          0x00,
          SSD_KVN,
          job.ssdKeys,
        ),
      ]
    }
    const round = commandRound(this.institution.options.crypto, access, job.hostChallenge, rapdus, script)
    if (!round.ok) return void this.retryOrNack(job, describeFailure(round.error))
    job.round = 2
    this.deliver(job, round.value)
  }

  private onRound2(job: Job, rapdus: ReadonlyArray<Uint8Array>): void {
    const b = job.body
    if (b.kind === "ota-script") {
      const answers = rapdus.map((r) => toHex(r))
      return void this.finish(job, {
        kind: "ota-result",
        seId: b.seId,
        exchangeId: b.exchangeId,
        rapdus: answers,
      })
    }
    // Index 0 is EXTERNAL AUTHENTICATE; index 1 is the idempotence DELETE.
    const checked = checkRound(job.sent, rapdus, new Map([[1, [DELETE_NOT_FOUND]]]))
    if (!checked.ok) return void this.retryOrNack(job, describeFailure(checked.error))
    if (b.kind === "delete-ssd")
      return void this.finish(job, { kind: "ssd-deleted", seId: b.seId, ssdAid: b.ssdAid })
    if (b.kind !== "create-ssd") return
    this.finish(job, {
      kind: "ssd-created",
      seId: b.seId,
      ssdAid: b.ssdAid,
      keysCipher: this.encryptKeys(b, job.ssdKeys!),
    })
  }

  private encryptKeys(b: CreateSsd, keys: StaticKeys): string {
    const recipient = this.institution.options.directory.publicKeyOf(b.spId)
    if (recipient === null) throw new Error(`no certificate for SP ${b.spId}`)
    const plain = concat(keys.enc, keys.mac, keys.dek)
    for (let i = 0; i < 8; i++) {
      const k = this.institution.options.signer.nextK()
      const c = this.institution.options.crypto.sm2.encrypt(SM2P256V1, recipient, plain, k)
      if (c !== null) return toHex(c)
    }
    throw new Error("no SM2 ciphertext after 8 draws of k")
  }
}

const requestKey = (orderId: string, b: PartyMessage): string =>
  b.kind === "ota-script" ? `${orderId}/${b.kind}/${b.exchangeId}` : `${orderId}/${b.kind}`

/** The SSD's first key version (GP 2.3 §11.8: a new key set is put with old KVN 0). */
export const SSD_KVN = 0x30

const keyTypeOf = (access: DomainAccess): 0x80 | 0x88 | 0x8a =>
  access.protocol === "SCP02" ? 0x80 : access.protocol === "SCP03" ? 0x88 : 0x8a
