/**
 * SELECT by DF name (ISO 7816-4 §11.2.2; GP 2.3 §11.9): full or partial (prefix) AID match over
 * the registry in order; P2 b2 = 1 selects the next occurrence after the one currently selected
 * on the channel. Only selectable, unlocked applications and security domains qualify; with the
 * card CARD_LOCKED only the ISD does (answering 6283), with the card TERMINATED nothing else.
 */
import type { CommandApdu } from "../../apdu/command.ts"
import type { Failure } from "./outcome.ts"
import { CardLifeCycle, type CardState, EntryKind, isLocked, type RegistryEntry } from "./registry.ts"

const selectable = (state: CardState, e: RegistryEntry): boolean => {
  if (e.kind === EntryKind.ISD) return true
  if (e.kind === EntryKind.LOAD_FILE || isLocked(e.lifeCycle)) return false
  if (state.lifeCycle === CardLifeCycle.CARD_LOCKED || state.lifeCycle === CardLifeCycle.TERMINATED)
    return false
  return (e.lifeCycle & 0x07) === 0x07
}

export const findSelection = (
  state: CardState,
  command: CommandApdu,
  currentId: number | null,
): RegistryEntry | Failure => {
  if (command.p1 !== 0x04 || (command.p2 & ~0x0e) !== 0x00) return "incorrect-p1p2"
  const name = command.data
  if (name.length > 16) return "wrong-length"
  if (name.length === 0) return state.entries.find((e) => e.kind === EntryKind.ISD) ?? "not-found"
  const candidates = state.entries.filter(
    (e) => name.length <= e.aid.length && name.every((b, i) => e.aid[i] === b) && selectable(state, e),
  )
  const next = (command.p2 & 0x03) === 0x02
  if (!next) return candidates[0] ?? "not-found"
  const at = candidates.findIndex((e) => e.id === currentId)
  return candidates[at + 1] ?? "not-found"
}
