/** The sequence chart's judgements and words: which message failed, how long between two. */
import type { FlowStep } from "../../model/signals/flow.ts"

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
