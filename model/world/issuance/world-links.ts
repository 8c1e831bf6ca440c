/**
 * The links of an issuance world (DESIGN.md §4: messages between institutions travel over links):
 * envelope bytes between each TSM / SE issuer and MTPS with the scenario's inter-institution
 * latency and the issuers' outage windows; each SE issuer's OTA bearer to the handsets (latency
 * and loss from its named bearer); and the wallet app's SERAM channel to the 贵州通 TSM.
 */

import type { Kernel } from "../../../sim/kernel/kernel.ts"
import type { Port } from "../../../sim/kernel/port.ts"
import { Link, type OutageWindow } from "../../../sim/network/link.ts"
import type { Stream } from "../../../sim/rng/stream.ts"
import type { Handsets } from "../../parties/handset/handsets.ts"
import type { MtpsHub } from "../../parties/mtps/mtps-hub.ts"
import { bearerLatencyUs } from "../../parties/ota/ota-bearer.ts"
import type { ChannelDown, ChannelUp, OtaDown, OtaUp } from "../../parties/ota/seram.ts"
import type { SeIssuer } from "../../parties/telco/se-issuer.ts"
import type { PlatformTsm } from "../../parties/tsm/platform-tsm.ts"
import type { IssuanceScenario } from "./issuance-scenario.ts"

const US_PER_MINUTE = 60_000_000
/** Messages in flight per link at most (STYLE.md rule 3); far above a 1,000-user campaign. */
const IN_FLIGHT_MAX = 100_000

export const latencyOf = (r: { msMin: number; msMax: number }) => (s: Stream) =>
  r.msMin * 1000 + s.below(Math.max(0, r.msMax - r.msMin) * 1000 + 1)

export const windowsOf = (
  ws: ReadonlyArray<{ startMinute: number; durationMinutes: number }>,
): OutageWindow[] =>
  ws.map((w) => ({
    startUs: w.startMinute * US_PER_MINUTE,
    endUs: (w.startMinute + w.durationMinutes) * US_PER_MINUTE,
  }))

export interface Parties {
  readonly mtps: MtpsHub
  readonly gzt: PlatformTsm
  readonly spTsm: PlatformTsm
  readonly issuers: ReadonlyMap<string, SeIssuer>
  readonly handsets: Handsets
}

export const wire = (
  kernel: Kernel,
  port: Port,
  sc: IssuanceScenario,
  p: Parties,
): Map<string, Link<Uint8Array>> => {
  const links = new Map<string, Link<Uint8Array>>()
  const hub = p.mtps.institution
  const envelopeLink = (
    from: string,
    to: string,
    deliver: (b: Uint8Array) => void,
    outages: OutageWindow[],
  ) => {
    const options = {
      name: `${from}>${to}`,
      from,
      to,
      latencyUs: latencyOf(sc.interInstitutionLatency),
      inFlightMax: IN_FLIGHT_MAX,
      duplication: { numerator: sc.envelopeDuplicationPermille, denominator: 1000 },
      outages,
    }
    const link = new Link<Uint8Array>(kernel, port.stream(`link:${from}>${to}`), options, deliver)
    links.set(options.name, link)
    return link
  }
  for (const tsm of [p.gzt, p.spTsm]) {
    const id = tsm.institution.id
    tsm.institution.links.set(
      hub.id,
      envelopeLink(id, hub.id, (b) => p.mtps.receive(b), []),
    )
    hub.links.set(
      id,
      envelopeLink(hub.id, id, (b) => tsm.receive(b), []),
    )
  }
  for (const [scenarioId, issuer] of p.issuers) {
    const id = issuer.institution.id
    const outages = windowsOf(sc.seIssuerOutages.filter((o) => o.issuer === scenarioId).map((o) => o.window))
    issuer.institution.links.set(
      hub.id,
      envelopeLink(id, hub.id, (b) => p.mtps.receive(b), outages),
    )
    hub.links.set(
      id,
      envelopeLink(hub.id, id, (b) => issuer.receive(b), outages),
    )
    wireBearer(kernel, port, issuer, p.handsets)
  }
  wireWallet(kernel, port, sc, p)
  return links
}

const wireBearer = (kernel: Kernel, port: Port, issuer: SeIssuer, handsets: Handsets): void => {
  const id = issuer.institution.id
  const ota = {
    latencyUs: bearerLatencyUs(issuer.bearer),
    inFlightMax: IN_FLIGHT_MAX,
    loss: { numerator: issuer.bearer.lossPermille, denominator: 1000 },
  }
  issuer.otaDown = new Link<OtaDown>(
    kernel,
    port.stream(`ota-down:${id}`),
    { name: `ota>${id}`, from: id, to: "handsets", ...ota },
    (m) => handsets.onOta(id, m),
  )
  handsets.otaUp.set(
    id,
    new Link<OtaUp>(
      kernel,
      port.stream(`ota-up:${id}`),
      { name: `ota<${id}`, from: "handsets", to: id, ...ota },
      (m) => issuer.onOta(m),
    ),
  )
}

const wireWallet = (kernel: Kernel, port: Port, sc: IssuanceScenario, p: Parties): void => {
  const wallet = { latencyUs: latencyOf(sc.walletLatency), inFlightMax: IN_FLIGHT_MAX }
  p.gzt.channel.down = new Link<ChannelDown>(
    kernel,
    port.stream("wallet-down"),
    { name: "wallet-down", from: p.gzt.institution.id, to: "handsets", ...wallet },
    (m) => p.handsets.onChannel(m),
  )
  p.handsets.channelUp = new Link<ChannelUp>(
    kernel,
    port.stream("wallet-up"),
    { name: "wallet-up", from: "handsets", to: p.gzt.institution.id, ...wallet },
    (m) => p.gzt.channel.receive(m),
  )
}
