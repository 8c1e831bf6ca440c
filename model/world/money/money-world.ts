/**
 * The money world (issue 6), composed for one run: a kernel, the five banks with real master keys
 * and personalized NFC-SIM cards, UnionPay's switch and clearing house, one acquirer per bank and
 * the links between them, the money audit listening to every signal. `runMoney` drives the traffic
 * (money-traffic.ts) through the days and the daily cut-offs and returns the summary.
 *
 * Link latencies: one hop uniform in 20-80 ms, so the four hops of an online authorization take
 * about 200 ms, the UnionPay end-to-end average of 220 ms (CALIBRATION.md §5.6, M). Timeouts:
 * switch 30 s, acquirer 45 s, reversal retry every 10 s, 5 attempts — assumptions in the range of
 * ISO 8583 practice, stated here because no UnionPay figure is public.
 */

import { Kernel } from "../../../sim/kernel/kernel.ts"
import { makePort, type Port } from "../../../sim/kernel/port.ts"
import { US_PER_HOUR, US_PER_SECOND } from "../../../sim/kernel/time.ts"
import { Link, type OutageWindow, type Ratio } from "../../../sim/network/link.ts"
import { EventDigest } from "../../../sim/recorder/digest.ts"
import { SignalBus } from "../../../sim/recorder/signals.ts"
import type { Sink } from "../../../sim/recorder/sink.ts"
import { streamOf } from "../../../sim/rng/stream.ts"
import { MoneyAudit } from "../../audit/money-audit.ts"
import { TDES_PBOC } from "../../card/applets/pboc/algorithm-profile.ts"
import type { Crypto } from "../../crypto/crypto.ts"
import { seededBytes } from "../../host/card-story/seeded-bytes.ts"
import { Bank } from "../../parties/bank/bank.ts"
import { PILOT_BANKS } from "../../parties/bank/bank-roster.ts"
import { Acquirer } from "../../parties/merchant/acquirer.ts"
import { PAYEES } from "../../parties/provider/payees.ts"
import { ClearingHouse } from "../../parties/unionpay/clearing-house.ts"
import type { SwitchMessage } from "../../parties/unionpay/money-messages.ts"
import { type StandInLimits, TWIN_STIP_LIMITS } from "../../parties/unionpay/stand-in.ts"
import { UnionPaySwitch } from "../../parties/unionpay/switch.ts"
import { ServerPool } from "../pilot/server-pool.ts"

export interface MoneyFaults {
  /** Issuer → UnionPay responses are lost in this window (the bank host "times out"). */
  readonly hostTimeout?: { readonly bank: string } & OutageWindow
  /**
   * The bank host is down in this window: messages reach its front end and go unanswered, so the
   * switch times out (and stands in); the host processes nothing until the window ends.
   */
  readonly hostDown?: { readonly bank: string } & OutageWindow
  /** Acquirers cannot reach UnionPay in this window. */
  readonly unionpayOutage?: OutageWindow
  /** Every acquirer → UnionPay and UnionPay → issuer message is duplicated with this ratio. */
  readonly duplication?: Ratio
  /** Banks whose clearing file of the given cycle arrives corrupted first. */
  readonly corruptFile?: ReadonlyArray<{ readonly cycle: number; readonly bank: string }>
  /** TCs whose cryptogram is corrupted in the batch upload (the n-th offline purchases). */
  readonly badTcs?: ReadonlyArray<number>
  /** Online approvals presented with a wrong amount (the n-th approvals), plus duplicates. */
  readonly amountMismatches?: ReadonlyArray<number>
  readonly duplicatePresentments?: ReadonlyArray<number>
  /** Disputes won by cardholders: chargebacks of the n-th settled online approvals. */
  readonly disputes?: ReadonlyArray<number>
  /** A second card with the first card's PAN and keys taps after the first has been used. */
  readonly cloneCard?: boolean
}

export interface MoneyOptions {
  readonly seed: number
  readonly crypto: Crypto
  readonly transactions: number
  readonly cardsPerBank: number
  readonly days: number
  readonly faults?: MoneyFaults
  readonly sinks?: ReadonlyArray<Sink>
  /** HSMs in each bank's CMS; default 2, the HA pair CALIBRATION.md §2.2 recommends. */
  readonly cmsHsmCount?: number
  /** UnionPay's stand-in limits; default TWIN_STIP_LIMITS, null for a switch that never stands in. */
  readonly standIn?: StandInLimits | null
}

export const TIMING = {
  hopUsMin: 20_000,
  hopUsMax: 80_000,
  switchTimeoutUs: 30 * US_PER_SECOND,
  acquirerTimeoutUs: 45 * US_PER_SECOND,
  reversalRetryUs: 10 * US_PER_SECOND,
  reversalAttemptsMax: 5,
  /** Traffic runs 06:00-22:00; the cut-off is at 23:00, after the quiet window. */
  trafficStartUs: 6 * US_PER_HOUR,
  trafficEndUs: 22 * US_PER_HOUR,
  cutoffUs: 23 * US_PER_HOUR,
} as const

/** HSMs per bank CMS unless the options say otherwise (an HA pair). */
const CMS_HSM_COUNT = 2

/** The single online limit the twin's hosts apply: 50,000 yuan (assumption). */
const SINGLE_LIMIT_FEN = 5_000_000

export interface MoneyWorld {
  readonly kernel: Kernel
  readonly port: Port
  readonly digest: EventDigest
  readonly signals: SignalBus
  readonly audit: MoneyAudit
  readonly banks: ReadonlyMap<string, Bank>
  readonly acquirers: ReadonlyMap<string, Acquirer>
  readonly unionpay: UnionPaySwitch
  readonly clearing: ClearingHouse
}

/** A bus that also feeds the audit, so the audit sees every signal in order. */
class AuditedBus extends SignalBus {
  constructor(
    digest: EventDigest,
    sinks: ReadonlyArray<Sink>,
    private readonly audit: MoneyAudit,
  ) {
    super(digest, sinks)
  }
  override emit(timeUs: number, name: string, payload: unknown): void {
    super.emit(timeUs, name, payload)
    this.audit.observe(timeUs, name, payload)
  }
}

const hop = (
  kernel: Kernel,
  seed: number,
  name: string,
  deliver: (m: SwitchMessage) => void,
  extra: Partial<ConstructorParameters<typeof Link<SwitchMessage>>[2]> = {},
) =>
  new Link<SwitchMessage>(
    kernel,
    streamOf(seed, `link/${name}`),
    {
      name,
      from: name.split(">")[0]!,
      to: name.split(">")[1]!,
      latencyUs: (s) => TIMING.hopUsMin + s.below(TIMING.hopUsMax - TIMING.hopUsMin + 1),
      inFlightMax: 100_000,
      ...extra,
    },
    deliver,
  )

export const buildMoneyWorld = (options: MoneyOptions): MoneyWorld => {
  const { seed, crypto } = options
  const faults = options.faults ?? {}
  const kernel = new Kernel({ capacity: 4096 })
  const digest = new EventDigest()
  kernel.log = digest
  const audit = new MoneyAudit()
  const signals = new AuditedBus(digest, options.sinks ?? [], audit)
  const port = makePort(kernel, seed, signals)
  const banks = new Map<string, Bank>()
  for (const declaration of PILOT_BANKS) {
    const draw = seededBytes(crypto, seed, `imk:${declaration.id}`)
    const imks = { imkAc: draw(16), imkSmi: draw(16), imkSmc: draw(16) }
    const bank = new Bank(port, {
      declaration,
      crypto,
      algorithm: TDES_PBOC,
      imks,
      limits: { singleLimitFen: SINGLE_LIMIT_FEN },
      cmsHsmPool: new ServerPool(`${declaration.id}.cms-hsm`, options.cmsHsmCount ?? CMS_HSM_COUNT),
    })
    banks.set(declaration.id, bank)
  }
  for (const payee of PAYEES) banks.get(payee.acquirer)!.openDeposit(`merch:${payee.id}`, 0)
  const unionpay = new UnionPaySwitch(port, {
    issuerTimeoutUs: TIMING.switchTimeoutUs,
    reversalRetryUs: TIMING.reversalRetryUs,
    reversalAttemptsMax: TIMING.reversalAttemptsMax,
    issuerOfBin: new Map(PILOT_BANKS.map((b) => [b.bin, b.id])),
    standIn: options.standIn === undefined ? TWIN_STIP_LIMITS : options.standIn,
  })
  const acquirers = new Map<string, Acquirer>()
  for (const bank of banks.values()) wireBank(kernel, port, seed, faults, bank, unionpay, acquirers)
  const clearing = new ClearingHouse(port, crypto, banks, [...acquirers.values()], unionpay)
  return { kernel, port, digest, signals, audit, banks, acquirers, unionpay, clearing }
}

/** Four links per bank: acquirer ⇄ UnionPay and UnionPay ⇄ issuer host. */
const wireBank = (
  kernel: Kernel,
  port: Port,
  seed: number,
  faults: MoneyFaults,
  bank: Bank,
  unionpay: UnionPaySwitch,
  acquirers: Map<string, Acquirer>,
): void => {
  const id = bank.id
  const acquirer = new Acquirer(id, port, TIMING.acquirerTimeoutUs)
  acquirers.set(id, acquirer)
  const dup = faults.duplication === undefined ? {} : { duplication: faults.duplication }
  const upOut = faults.unionpayOutage === undefined ? {} : { outages: [faults.unionpayOutage] }
  const hostOut = faults.hostTimeout?.bank === id ? { outages: [faults.hostTimeout] } : {}
  const down = faults.hostDown?.bank === id ? faults.hostDown : null
  const isDown = () => down !== null && kernel.nowUs >= down.startUs && kernel.nowUs < down.endUs
  acquirer.toUnionPay = hop(kernel, seed, `acq-${id}>unionpay`, (m) => unionpay.fromAcquirer(m), {
    ...dup,
    ...upOut,
  })
  unionpay.toAcquirer.set(
    id,
    hop(kernel, seed, `unionpay>acq-${id}`, (m) => acquirer.fromUnionPay(m)),
  )
  const back = hop(kernel, seed, `host-${id}>unionpay`, (m) => unionpay.fromIssuer(m), hostOut)
  unionpay.toIssuer.set(
    id,
    hop(
      kernel,
      seed,
      `unionpay>host-${id}`,
      (m) => {
        if (isDown()) return
        const answer = bank.onSwitchMessage(m)
        if (answer !== null) back.send(answer)
      },
      dup,
    ),
  )
}
