/**
 * Phone loss and churn of an active card (CALIBRATION.md §3.4, assumptions, confidence L–M):
 * 挂失 at 3-8 % of active SE cards a year (phone loss + theft 5-13 %/yr, less recovered phones and
 * unreported losses); 补卡 follows 60-90 % of losses after a waiting period, moving the e-cash
 * balance onto the new SE; the rest of the lost cards are closed (销户); voluntary 销户 5-15 %/yr.
 * A SIM swap (same number onto a new UICC, or a number port) forces the card's OTA re-issuance onto
 * the new SIM: 2-5 %/yr (§3.4, A), only for cards on an NFC-SIM (an NFC-SD or eSE card does not
 * live on the UICC). Loss, closure and the swap are competing exponential risks; a yearly permille
 * P is the hazard −ln(1 − P) per year, so "P of the cards active all year" holds exactly. A swap
 * leaves the card active (on its new SIM), and the exponentials are memoryless, so the risks are
 * drawn afresh after it; the fluid projection (projection.ts) therefore needs only loss and
 * closure, which are what move cards out of the active state.
 */
import type { Stream } from "../../sim/rng/stream.ts"
import type { PopulationParams } from "./population-params.ts"
import { PendingEvent } from "./population-state.ts"

const SECONDS_PER_YEAR = 365.25 * 86_400
export const SECONDS_PER_DAY = 86_400

export interface LifecycleHazards {
  /** 挂失 hazard per second. */
  readonly lossPerSecond: number
  /** Voluntary 销户 hazard per second. */
  readonly closePerSecond: number
  /** SIM swap hazard per second of a card on an NFC-SIM (other SE types: none). */
  readonly simSwapPerSecond: number
}

/** 0 ‰ is no hazard at all (+0: −ln(1) is −0, and a draw divided by −0 would be −∞, "at once"). */
const hazardPerSecond = (permillePerYear: number): number =>
  permillePerYear <= 0
    ? 0
    : permillePerYear >= 1000
      ? Infinity
      : -Math.log(1 - permillePerYear / 1000) / SECONDS_PER_YEAR

/** An exponential waiting time at `perSecond` from one draw of `s` (never, at a zero hazard). */
const waitS = (s: Stream, perSecond: number): number => {
  const e = -Math.log(1 - s.float53())
  return perSecond > 0 ? e / perSecond : Infinity
}

export const lifecycleHazards = (p: PopulationParams): LifecycleHazards => ({
  lossPerSecond: hazardPerSecond(p.lifecycle.lossPermillePerYear),
  closePerSecond: hazardPerSecond(p.lifecycle.closePermillePerYear),
  simSwapPerSecond: hazardPerSecond(p.lifecycle.simSwapPermillePerYear),
})

/** The next lifecycle event of a card that became active at `nowS`: its kind and instant. */
export interface LifecycleDraw {
  kind: PendingEvent
  atS: number
}

/**
 * Draws the competing risks from one stream: the first of loss, closure and (for a card on an
 * NFC-SIM) a SIM swap, as whole seconds after `nowS` (at least one). Three draws always, so the
 * stream's use is fixed whatever the SE.
 */
export const drawLifecycleInto = (
  h: LifecycleHazards,
  nowS: number,
  s: Stream,
  out: LifecycleDraw,
  onNfcSim: boolean,
): LifecycleDraw => {
  const lossS = waitS(s, h.lossPerSecond)
  const closeS = waitS(s, h.closePerSecond)
  const swapDraw = waitS(s, h.simSwapPerSecond)
  const swapS = onNfcSim ? swapDraw : Infinity
  const first = Math.min(lossS, closeS, swapS)
  out.kind =
    swapS < Math.min(lossS, closeS)
      ? PendingEvent.simSwap
      : lossS <= closeS
        ? PendingEvent.loss
        : PendingEvent.close
  out.atS = Number.isFinite(first) ? nowS + Math.max(1, Math.ceil(first)) : Infinity
  return out
}

/** The instant a lost card's 补卡 (or closure) is decided: after the waiting period. */
export const reissueDueS = (p: PopulationParams, lostAtS: number): number =>
  lostAtS + Math.max(1, p.lifecycle.reissueWaitDays * SECONDS_PER_DAY)

/** Whether a lost card is reissued (补卡) rather than closed, decided by an integer ratio. */
export const reissues = (p: PopulationParams, s: Stream): boolean =>
  s.chance(p.lifecycle.reissuePermille, 1000)
