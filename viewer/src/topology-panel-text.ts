/** The topology's and the party panel's words for a party's load: utilisation and flow rates. */
import type { PartyLoad } from "../../model/signals/party-load.ts"

/** "37 %", "0.52 %", "0.004 %": enough digits that a lightly loaded party does not read 0. */
export const utilisationText = (p: PartyLoad): string => {
  const percent = p.utilisationPpm === undefined ? p.utilisationPermille / 10 : p.utilisationPpm / 10_000
  if (percent === 0 || percent >= 10) return `${Math.round(percent)} %`
  return `${percent.toPrecision(percent >= 1 ? 2 : 1)} %`
}

/** "1.2 k/day": a compact rate for a box or an edge. */
export const rateText = (perDay: number): string =>
  perDay >= 1e6
    ? `${(perDay / 1e6).toFixed(1)} M/day`
    : perDay >= 1e4
      ? `${Math.round(perDay / 1e3)} k/day`
      : perDay >= 1e3
        ? `${(perDay / 1e3).toFixed(1)} k/day`
        : `${perDay}/day`
