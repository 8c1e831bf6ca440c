/**
 * The composition root of an issuance run: kernel, digest and signal bus; the institutions (MTPS,
 * three telco SE issuers, the 贵州通 TSM, a national bank's SP-TSM) with SM2 keys from the seed;
 * the links between them, the wallet channel and the OTA bearers, with the scenario's latency and
 * outage figures; the handsets; and SE manufacturing (a real NFC-SIM with the PBOC package
 * pre-loaded by the SE maker, CALIBRATION.md §2.4 assumption 1).
 */

import { PBOC_APPLET } from "../../model/card/applets/pboc/pboc-applet.ts"
import { PPSE_APPLET } from "../../model/card/applets/pboc/ppse-applet.ts"
import { loadFileBlock } from "../../model/card/applets/security-domain/sd-load.ts"
import { createCard, issueCardImage, type SimulatedCard } from "../../model/card/card.ts"
import { NFC_SIM } from "../../model/card/profile.ts"
import type { Crypto } from "../../model/crypto/crypto.ts"
import { SM2P256V1 } from "../../model/crypto/sm2/curve.ts"
import type { Sm2Point } from "../../model/crypto/sm2/sm2.ts"
import { seededBytes } from "../../model/host/card-story/seeded-bytes.ts"
import { PBOC_PACKAGE_AID, STORY_CLASSES } from "../../model/host/card-story/story-context.ts"
import { installForLoad, loadBlocks } from "../../model/host/gp/gp-commands.ts"
import { openSession } from "../../model/host/gp/gp-session.ts"
import type { Envelope, KeyDirectory, Signer } from "../../model/parties/exchange/envelope.ts"
import { Institution } from "../../model/parties/exchange/institution.ts"
import { Handsets } from "../../model/parties/handset/handsets.ts"
import { MtpsHub } from "../../model/parties/mtps/mtps-hub.ts"
import type { DomainAccess } from "../../model/parties/ota/domain-script.ts"
import type { ChannelDown, ChannelUp, OtaDown, OtaUp } from "../../model/parties/ota/seram.ts"
import { SeIssuer } from "../../model/parties/telco/se-issuer.ts"
import { PlatformTsm } from "../../model/parties/tsm/platform-tsm.ts"
import { Kernel } from "../../sim/kernel/kernel.ts"
import { makePort, type Port } from "../../sim/kernel/port.ts"
import { Link } from "../../sim/network/link.ts"
import { EventDigest } from "../../sim/recorder/digest.ts"
import { SignalBus } from "../../sim/recorder/signals.ts"
import type { Sink } from "../../sim/recorder/sink.ts"
import type { Stream } from "../../sim/rng/stream.ts"
import type { IssuanceScenario } from "./issuance-scenario.ts"
import { BANKS, publishApps } from "./pilot-apps.ts"

export const TELCOS = ["cmcc", "cucc", "ctcc"] as const
export type TelcoId = (typeof TELCOS)[number]
const INSTITUTIONS = ["mtps", "gzt-tsm", "ccb-sptsm", ...TELCOS] as const

const US_PER_MINUTE = 60_000_000
const ISD_KVN = 0x20

export interface World {
  readonly kernel: Kernel
  readonly port: Port
  readonly digest: EventDigest
  readonly signals: SignalBus
  readonly crypto: Crypto
  readonly mtps: MtpsHub
  readonly telcos: ReadonlyMap<TelcoId, SeIssuer>
  readonly gzt: PlatformTsm
  readonly spTsm: PlatformTsm
  readonly handsets: Handsets
  readonly cards: Map<string, SimulatedCard>
  readonly publicKeys: ReadonlyMap<string, Sm2Point>
  readonly revoked: Set<string>
  readonly links: Map<string, Link<Envelope>>
  manufacture(seId: string, telco: TelcoId): void
}

const scalarFrom = (s: Stream): bigint => {
  let v = 0n
  for (let i = 0; i < 8; i++) v = (v << 32n) | BigInt(s.nextU32())
  return (v % (SM2P256V1.n - 2n)) + 1n
}

const latencyOf = (r: { msMin: number; msMax: number }) => (s: Stream) =>
  r.msMin * 1000 + s.below(Math.max(0, r.msMax - r.msMin) * 1000 + 1)

const windows = (ws: ReadonlyArray<{ startMinute: number; durationMinutes: number }>) =>
  ws.map((w) => ({
    startUs: w.startMinute * US_PER_MINUTE,
    endUs: (w.startMinute + w.durationMinutes) * US_PER_MINUTE,
  }))

export const buildWorld = (
  scenario: IssuanceScenario,
  seed: number,
  crypto: Crypto,
  sinks: ReadonlyArray<Sink>,
): World => {
  const kernel = new Kernel({ capacity: 1 << 14 })
  const digest = new EventDigest()
  kernel.log = digest
  const signals = new SignalBus(digest, sinks)
  const port = makePort(kernel, seed, signals)
  const publicKeys = new Map<string, Sm2Point>()
  const revoked = new Set<string>()
  const directory: KeyDirectory = {
    publicKeyOf: (id) => publicKeys.get(id) ?? null,
    isRevoked: (id) => revoked.has(id),
  }
  const institutions = new Map<string, Institution>()
  for (const id of INSTITUTIONS) {
    const privateKey = scalarFrom(port.stream(`key:${id}`))
    publicKeys.set(id, crypto.sm2.publicKeyOf(SM2P256V1, privateKey))
    const kStream = port.stream(`k:${id}`)
    const signer: Signer = { id, privateKey, nextK: () => scalarFrom(kStream) }
    institutions.set(
      id,
      new Institution(port, {
        crypto,
        signer,
        directory,
        windowUs: scenario.envelopeWindowSeconds * 1_000_000,
        noncesMax: 1 << 20,
      }),
    )
  }
  const inst = (id: string) => institutions.get(id)!
  const mtps = new MtpsHub(inst("mtps"), {
    servers: scenario.mtpsServers,
    serviceUs: scenario.mtpsServiceUs,
    queueMax: scenario.mtpsQueueMax,
    outages: windows(scenario.mtpsOutages),
  })
  const policy = {
    attemptsMax: scenario.retryAttemptsMax,
    backoffUsBase: scenario.retryBackoffSecondsBase * 1_000_000,
    backoffUsMax: scenario.retryBackoffSecondsMax * 1_000_000,
    timeoutUs: (step: string) =>
      step === "wait"
        ? scenario.reissueWaitDays * 1440 * US_PER_MINUTE + US_PER_MINUTE
        : scenario.stepTimeoutSeconds * 1_000_000,
  }
  const tsm = (id: string, route: "wallet" | "ota") =>
    new PlatformTsm(inst(id), {
      hubId: "mtps",
      policy,
      route,
      issuerKeys: BANKS.issuerKeys(crypto, seed, id),
      draw: seededBytes(crypto, seed, `draw:${id}`),
    })
  const gzt = tsm("gzt-tsm", "wallet")
  const spTsm = tsm("ccb-sptsm", "ota")
  const telcos = new Map<TelcoId, SeIssuer>()
  for (const id of TELCOS)
    telcos.set(
      id,
      new SeIssuer(inst(id), {
        hubId: "mtps",
        otaTimeoutUs: 60_000_000,
        otaAttemptsMax: 3,
        draw: seededBytes(crypto, seed, `draw:${id}`),
      }),
    )
  const handsets = new Handsets(port, { seApduUs: scenario.seApduMs * 1000 })
  const links = wire(kernel, port, scenario, { mtps, gzt, spTsm, telcos, handsets })
  publishApps(gzt, spTsm)
  const cards = new Map<string, SimulatedCard>()
  const manufacture = (seId: string, telco: TelcoId) => {
    const { card, access } = makeSe(crypto, seed, seId)
    cards.set(seId, card)
    telcos.get(telco)!.enrol(seId, access)
    mtps.issuerOf.set(seId, telco)
    handsets.insert(seId, card)
  }
  return {
    kernel,
    port,
    digest,
    signals,
    crypto,
    mtps,
    telcos,
    gzt,
    spTsm,
    handsets,
    cards,
    publicKeys,
    revoked,
    links,
    manufacture,
  }
}

interface Parties {
  readonly mtps: MtpsHub
  readonly gzt: PlatformTsm
  readonly spTsm: PlatformTsm
  readonly telcos: ReadonlyMap<TelcoId, SeIssuer>
  readonly handsets: Handsets
}

const wire = (kernel: Kernel, port: Port, sc: IssuanceScenario, p: Parties): Map<string, Link<Envelope>> => {
  const links = new Map<string, Link<Envelope>>()
  const envelopeLink = (
    from: string,
    to: string,
    deliver: (e: Envelope) => void,
    outages: ReturnType<typeof windows>,
  ) => {
    const link = new Link<Envelope>(
      kernel,
      port.stream(`link:${from}>${to}`),
      {
        name: `${from}>${to}`,
        from,
        to,
        latencyUs: latencyOf(sc.interInstitutionLatency),
        inFlightMax: 100_000,
        outages,
      },
      deliver,
    )
    links.set(`${from}>${to}`, link)
    return link
  }
  const sps: Array<[string, PlatformTsm]> = [
    ["gzt-tsm", p.gzt],
    ["ccb-sptsm", p.spTsm],
  ]
  for (const [id, tsm] of sps) {
    tsm.institution.links.set(
      "mtps",
      envelopeLink(id, "mtps", (e) => p.mtps.receive(e), []),
    )
    p.mtps.institution.links.set(
      id,
      envelopeLink("mtps", id, (e) => tsm.receive(e), []),
    )
  }
  for (const [id, telco] of p.telcos) {
    const outages = windows(sc.seIssuerOutages.filter((o) => o.issuer === id).map((o) => o.window))
    telco.institution.links.set(
      "mtps",
      envelopeLink(id, "mtps", (e) => p.mtps.receive(e), outages),
    )
    p.mtps.institution.links.set(
      id,
      envelopeLink("mtps", id, (e) => telco.receive(e), outages),
    )
    const ota = {
      latencyUs: latencyOf(sc.otaLatency),
      inFlightMax: 100_000,
      loss: { numerator: sc.otaLossPermille, denominator: 1000 },
    }
    telco.otaDown = new Link<OtaDown>(
      kernel,
      port.stream(`ota-down:${id}`),
      { name: `ota>${id}`, from: id, to: "handsets", ...ota },
      (m) => p.handsets.onOta(id, m),
    )
    p.handsets.otaUp.set(
      id,
      new Link<OtaUp>(
        kernel,
        port.stream(`ota-up:${id}`),
        { name: `ota<${id}`, from: "handsets", to: id, ...ota },
        (m) => telco.onOta(m),
      ),
    )
  }
  const wallet = { latencyUs: latencyOf(sc.walletLatency), inFlightMax: 100_000 }
  p.gzt.channel.down = new Link<ChannelDown>(
    kernel,
    port.stream("wallet-down"),
    { name: "wallet-down", from: "gzt-tsm", to: "handsets", ...wallet },
    (m) => p.handsets.onChannel(m),
  )
  p.handsets.channelUp = new Link<ChannelUp>(
    kernel,
    port.stream("wallet-up"),
    { name: "wallet-up", from: "handsets", to: "gzt-tsm", ...wallet },
    (m) => p.gzt.channel.receive(m),
  )
  return links
}

/** The SE maker: a fresh NFC-SIM with diversified ISD keys and the PBOC package loaded. */
const makeSe = (
  crypto: Crypto,
  seed: number,
  seId: string,
): { card: SimulatedCard; access: DomainAccess } => {
  const draw = seededBytes(crypto, seed, `se:${seId}`)
  const keys = { enc: draw(16), mac: draw(16), dek: draw(16) }
  const image = issueCardImage(NFC_SIM, { serial: draw(4), isdKeys: { kvn: ISD_KVN, ...keys } })
  const card = createCard({
    profile: NFC_SIM,
    image,
    crypto,
    entropy: seededBytes(crypto, seed, `card:${seId}`),
    appletClasses: STORY_CLASSES,
  })
  card.reset()
  const access: DomainAccess = { protocol: NFC_SIM.scp.protocol, aid: NFC_SIM.isdAid, kvn: ISD_KVN, keys }
  card.transmit(Uint8Array.of(0x00, 0xa4, 0x04, 0x00, access.aid.length, ...access.aid, 0x00))
  const session = openSession(crypto, card.transmit, {
    protocol: access.protocol,
    keys,
    kvn: ISD_KVN,
    level: 0x03,
    hostChallenge: draw(8),
  })
  if (!session.ok) throw new Error(`SE ${seId}: the maker's ISD session failed`)
  for (const c of [
    installForLoad(PBOC_PACKAGE_AID),
    ...loadBlocks(loadFileBlock([PBOC_APPLET.name, PPSE_APPLET.name])),
  ]) {
    const r = session.value.send(c)
    if (!r.ok || r.value.sw !== 0x9000) throw new Error(`SE ${seId}: pre-loading the PBOC package failed`)
  }
  return { card, access }
}
