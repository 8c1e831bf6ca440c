/**
 * An SE issuer's TSM (China Mobile / Unicom / Telecom for NFC-SIMs; an NFC-SD issuer; a handset
 * maker for embedded SEs): it holds every SE's ISD keys, creates an SP's SSD on request (INSTALL
 * [for install] with Authorized Management, INSTALL [for personalization], PUT KEY under the ISD
 * session's DEK), deletes SSDs, and relays SP scripts, all over its OTA bearer (ota-bearer.ts:
 * SMS-PP, BIP or HTTP admin) — a pair of links whose latency and loss are the bearer's model.
 *
 * Requests are idempotent by order id (issuer-requests.ts decides admission purely): a repeated
 * order that finished is answered again from the record; one still running is ignored (its
 * answer will come). A create is itself idempotent on the card: the script first DELETEs the SSD
 * with related objects and tolerates 6A88, so a retry after a lost answer does not trip over the
 * SSD its first attempt made. The new SSD's key set goes back SM2-encrypted (C1‖C3‖C2) to the
 * requesting SP's certified key. A finished job's OTA timer is cancelled, not left in the heap.
 */

import type { EventHandle, HandlerId, Link } from "../../../sim/kernel/port.ts"
import type { CommandApdu } from "../../apdu/command.ts"
import { concat } from "../../bytes/bytes.ts"
import { hex, toHex } from "../../bytes/hex.ts"
import { Privilege, SECURITY_DOMAIN_LOAD_FILE_AID, SECURITY_DOMAIN_MODULE_AID } from "../../card/card.ts"
import type { HostChannel, StaticKeys } from "../../card/secure-channel/secure-channel.ts"
import { deleteAid, installForInstall, installForPersonalization, putKey } from "../../host/gp/gp-commands.ts"
import type { Envelope } from "../messages/envelope.ts"
import type { Institution } from "../messages/institution.ts"
import type { Message } from "../messages/messages.ts"
import {
  checkRound,
  commandRound,
  type DomainAccess,
  describeFailure,
  openingRound,
} from "../ota/domain-script.ts"
import { type OtaBearer, segmentDelayUs } from "../ota/ota-bearer.ts"
import type { OtaDown, OtaUp } from "../ota/seram.ts"
import { admitRequest, type IssuerRequest, requestKeyOf } from "./issuer-requests.ts"

export interface SeIssuerOptions {
  /** The MTPS id: every request comes from it and every answer goes to it. */
  readonly hubId: string
  readonly bearer: OtaBearer
  /** How long one OTA round may take before the issuer counts it lost. */
  readonly otaTimeoutUs: number
  /** OTA deliveries per request before answering a retryable refusal. */
  readonly otaAttemptsMax: number
  /** Draws n fresh bytes (challenges, SSD keys) from the issuer's seeded stream. */
  readonly draw: (n: number) => Uint8Array
}

interface Job {
  readonly key: string
  readonly orderId: string
  readonly nonceHex: string
  readonly request: IssuerRequest
  attempt: number
  round: 1 | 2
  hostChallenge: Uint8Array
  sent: number
  ssdKeys: StaticKeys | null
  /** The SSD keys SM2-encrypted to the SP, made before the card is touched. */
  cryptogram: Uint8Array | null
  exchangeId: string
  timer: EventHandle | null
}

type Send = { readonly link: Link<OtaDown>; readonly message: OtaDown }

const DELETE_NOT_FOUND = 0x6a88
/** Finished answers remembered for idempotence (STYLE.md rule 3); the oldest go first. */
export const FINISHED_MAX = 1 << 18

export class SeIssuer {
  private readonly ses = new Map<string, DomainAccess>()
  private readonly finished = new Map<string, Message>()
  private readonly running = new Map<string, Job>()
  private readonly byExchange = new Map<string, Job>()
  private readonly timeout: HandlerId<Job>
  private readonly delayedSend: HandlerId<Send>
  private readonly segments
  otaDown: Link<OtaDown> | null = null
  private exchanges = 0

  constructor(
    readonly institution: Institution,
    private readonly options: SeIssuerOptions,
  ) {
    const port = institution.port
    this.timeout = port.register<Job>(`se-issuer.timeout:${institution.id}`, (_a0, job) =>
      this.onTimeout(job),
    )
    this.delayedSend = port.register<Send>(
      `se-issuer.segments:${institution.id}`,
      (_a0, s) => void port.send(s.link, s.message),
    )
    this.segments = port.stream(`ota-segments:${institution.id}`)
  }

  get bearer(): OtaBearer {
    return this.options.bearer
  }

  /** Records a manufactured SE: its ISD (AID, key version, keys, secure channel protocol). */
  enrol(seId: string, access: DomainAccess): void {
    this.ses.set(seId, access)
  }

  isdAccess(seId: string): DomainAccess | undefined {
    return this.ses.get(seId)
  }

  receive(bytes: Uint8Array): void {
    const e = this.institution.admit(bytes)
    if (e === null) return
    const admission = admitRequest(
      { finished: this.finished, running: this.running, ses: this.ses },
      e.orderId,
      e.payload,
    )
    switch (admission.kind) {
      case "ignore":
        return
      case "answer-again":
        return void this.answer(e.orderId, admission.message)
      case "refuse":
        return void this.answer(e.orderId, errorReport(e, "refused", admission.reason))
      case "start":
        return void this.start(e, admission.request)
    }
  }

  private start(e: Envelope, request: IssuerRequest): void {
    const job: Job = {
      key: requestKeyOf(e.orderId, request),
      orderId: e.orderId,
      nonceHex: toHex(e.nonce),
      request,
      attempt: 0,
      round: 1,
      hostChallenge: new Uint8Array(0),
      sent: 0,
      ssdKeys: null,
      cryptogram: null,
      exchangeId: "",
      timer: null,
    }
    // The SP's key set is drawn and encrypted to its certified key first: an SP whose certificate
    // is unknown or revoked is refused before any SSD exists on the card that nobody could use.
    if (request._tag === "SsdCreateRequest") {
      const keys = { enc: this.options.draw(16), mac: this.options.draw(16), dek: this.options.draw(16) }
      job.ssdKeys = keys
      job.cryptogram = this.institution.encryptTo(
        request.serviceProviderId,
        concat(keys.enc, keys.mac, keys.dek),
      )
      if (job.cryptogram === null)
        return void this.answer(
          e.orderId,
          errorReport(e, "refused", `no valid certificate for ${request.serviceProviderId}`),
        )
    }
    this.running.set(job.key, job)
    this.deliverRound1(job)
  }

  private answer(orderId: string, message: Message): void {
    this.institution.send(this.options.hubId, orderId, message)
  }

  private finish(job: Job, message: Message): void {
    this.stopTimer(job)
    this.running.delete(job.key)
    this.byExchange.delete(job.exchangeId)
    if (message._tag !== "ErrorReport") {
      if (this.finished.size >= FINISHED_MAX)
        this.finished.delete(this.finished.keys().next().value as string)
      this.finished.set(job.key, message)
    }
    this.answer(job.orderId, message)
  }

  private stopTimer(job: Job): void {
    if (job.timer !== null) this.institution.port.cancel(job.timer)
    job.timer = null
  }

  private deliver(job: Job, capdus: ReadonlyArray<Uint8Array>): void {
    const link = this.otaDown
    if (link === null) throw new Error(`${this.institution.id}: no OTA bearer`)
    this.byExchange.delete(job.exchangeId)
    job.exchangeId = `${this.institution.id}/${++this.exchanges}`
    this.byExchange.set(job.exchangeId, job)
    job.sent = capdus.length
    const message = { seId: job.request.seId, exchangeId: job.exchangeId, capdus }
    const port = this.institution.port
    const bytes = capdus.reduce((n, c) => n + c.length, 0)
    const delayUs = segmentDelayUs(this.options.bearer, bytes, this.segments)
    if (delayUs === 0) port.send(link, message)
    else port.after(delayUs, this.delayedSend, 0, { link, message })
    this.stopTimer(job)
    job.timer = port.after(delayUs + this.options.otaTimeoutUs, this.timeout, 0, job)
  }

  private deliverRound1(job: Job): void {
    job.attempt++
    job.round = 1
    const r = job.request
    if (r._tag === "ScriptRelayRequest") {
      job.round = 2
      return void this.deliver(
        job,
        r.script.map((c) => hex(c)),
      )
    }
    job.hostChallenge = this.options.draw(8)
    this.deliver(job, openingRound(this.ses.get(r.seId)!, job.hostChallenge))
  }

  private onTimeout(job: Job): void {
    job.timer = null
    if (this.running.get(job.key) !== job) return
    this.retryOrRefuse(job, "OTA script not answered")
  }

  private retryOrRefuse(job: Job, reason: string): void {
    if (job.attempt < this.options.otaAttemptsMax) return void this.deliverRound1(job)
    const refusal: Message = {
      _tag: "ErrorReport",
      code: "se-unreachable",
      refersToNonce: job.nonceHex,
      detail: reason,
    }
    this.finish(job, refusal)
  }

  onOta(m: OtaUp): void {
    const job = this.byExchange.get(m.exchangeId)
    if (job === undefined) return
    this.byExchange.delete(m.exchangeId)
    job.exchangeId = ""
    this.stopTimer(job)
    if (job.round === 1) return void this.onRound1(job, m.rapdus)
    this.onRound2(job, m.rapdus)
  }

  private onRound1(job: Job, rapdus: ReadonlyArray<Uint8Array>): void {
    const r = job.request as Exclude<IssuerRequest, { _tag: "ScriptRelayRequest" }>
    const access = this.ses.get(r.seId)!
    const ssdAid = hex(r._tag === "SsdCreateRequest" ? r.ssdAid : r.aid)
    const script = (channel: HostChannel): CommandApdu[] => {
      const remove = deleteAid(ssdAid, true)
      if (r._tag === "DeleteRequest") return [remove]
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
          job.ssdKeys!,
        ),
      ]
    }
    const round = commandRound(this.institution.options.crypto, access, job.hostChallenge, rapdus, script)
    if (!round.ok) return void this.retryOrRefuse(job, describeFailure(round.error))
    job.round = 2
    this.deliver(job, round.value)
  }

  private onRound2(job: Job, rapdus: ReadonlyArray<Uint8Array>): void {
    const r = job.request
    const responses = rapdus.map((x) => toHex(x))
    const last = rapdus[rapdus.length - 1]
    const lastStatusWord =
      last === undefined || last.length < 2 ? 0 : (last[last.length - 2]! << 8) | last[last.length - 1]!
    if (r._tag === "ScriptRelayRequest") {
      const result = {
        attempt: r.attempt,
        seId: r.seId,
        aid: r.aid,
        executedCount: rapdus.length,
        lastStatusWord,
      }
      return void this.finish(job, {
        _tag: "ScriptRelayResponse",
        exchange: r.exchange,
        ...result,
        outcome: "done",
        responses,
      })
    }
    // Index 0 is EXTERNAL AUTHENTICATE; index 1 is the idempotence DELETE.
    const checked = checkRound(job.sent, rapdus, new Map([[1, [DELETE_NOT_FOUND]]]))
    if (!checked.ok) return void this.retryOrRefuse(job, describeFailure(checked.error))
    if (r._tag === "DeleteRequest") {
      const result = {
        attempt: r.attempt,
        seId: r.seId,
        aid: r.aid,
        executedCount: rapdus.length,
        lastStatusWord,
      }
      return void this.finish(job, {
        _tag: "LifecycleResponse",
        action: "delete",
        ...result,
        outcome: "done",
        responses: [],
      })
    }
    this.finish(job, {
      _tag: "SsdCreateResponse",
      attempt: r.attempt,
      seId: r.seId,
      ssdAid: r.ssdAid,
      outcome: "created",
      statusWord: lastStatusWord,
      keySetCryptogram: toHex(job.cryptogram!),
    })
  }
}

const errorReport = (e: Envelope, code: "refused", detail: string): Message => ({
  _tag: "ErrorReport",
  code,
  refersToNonce: toHex(e.nonce),
  detail,
})

/** The SSD's first key version (GP 2.3 §11.8: a new key set is put with old KVN 0). */
export const SSD_KVN = 0x30

const keyTypeOf = (access: DomainAccess): 0x80 | 0x88 | 0x8a =>
  access.protocol === "SCP02" ? 0x80 : access.protocol === "SCP03" ? 0x88 : 0x8a
