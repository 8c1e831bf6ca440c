/** The sequence chart's judgements and words: which message failed, how long between two. */
import type { CardSpan, FlowStep } from "../../model/signals/flow.ts"

/** A status word that ends a command in error (ISO 7816-4 §5.6: 90 00 and 61 XX are the normal ones). */
export const failedSw = (sw: string): boolean => !(sw === "9000" || sw.startsWith("61"))

/** Whether a message is drawn as a failure. */
export const failedStep = (s: FlowStep, last: boolean, flowOk: boolean): boolean =>
  (s.apdu !== undefined && failedSw(s.apdu.sw)) || (last && !flowOk)

/** 3.2 s, 4.1 min, 2.0 h, 1.5 d: a gap between two messages. */
export const gapText = (us: number): string => {
  const s = us / 1e6
  if (s < 1) return `${Math.round(us / 1000)} ms`
  if (s < 120) return `${s.toFixed(1)} s`
  if (s < 7200) return `${(s / 60).toFixed(1)} min`
  if (s < 172_800) return `${(s / 3600).toFixed(1)} h`
  return `${(s / 86_400).toFixed(1)} d`
}

/** A card-story step's run of APDU rows: where it starts and ends among the rows, and its time. */
export interface StepGroup {
  readonly label: string
  readonly first: number
  readonly last: number
  readonly durationUs: number
}

/**
 * Consecutive card rows (those with a duration: an OTA step's delivery over the bearer, the APDUs
 * of its script) with the same label, as one group per delivery and per card-story step.
 */
export const stepGroups = (rows: ReadonlyArray<FlowStep>): StepGroup[] => {
  const groups: StepGroup[] = []
  rows.forEach((s, i) => {
    if (s.durationUs === undefined) return
    const open = groups.at(-1)
    if (open !== undefined && open.last === i - 1 && open.label === s.label)
      groups[groups.length - 1] = { ...open, last: i, durationUs: open.durationUs + s.durationUs }
    else groups.push({ label: s.label, first: i, last: i, durationUs: s.durationUs })
  })
  return groups
}

/** ["card (eSE) 9.4 s over http-admin:", " bearer 7.1 s + SE 2.3 s, 24 APDUs, 14 messages"]. */
export const cardSpanText = (c: CardSpan): [string, string] => {
  const bearerUs = c.sessions.reduce((n, s) => n + s.bearerUs, 0)
  const seUs = c.sessions.reduce((n, s) => n + s.seUs, 0)
  const packets = c.bearer === "http-admin" ? "messages" : "packets"
  return [
    `card (${c.se}) ${gapText(c.durationUs)} over ${c.bearer}:`,
    ` bearer ${gapText(bearerUs)} + SE ${gapText(seUs)}, ${c.apdus} APDUs, ${c.packets} ${packets}`,
  ]
}
