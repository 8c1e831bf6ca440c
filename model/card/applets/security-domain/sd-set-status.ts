/**
 * SET STATUS (GP 2.3 §11.10): P1 80 the card life cycle (ISD only, forward transitions of
 * §5.1, CARD_LOCKED ↔ SECURED with the Card Lock privilege, TERMINATED with Card Terminate);
 * P1 40 lock (P2 80) or unlock (P2 00) an application or SSD; P1 C0 the same for an SSD and the
 * applications associated with it.
 */
import type { CommandApdu } from "../../../apdu/command.ts"
import { done, fail, type Reply } from "../../runtime/outcome.ts"
import {
  AppLifeCycle,
  CardLifeCycle,
  EntryKind,
  findByAid,
  hasPrivilege,
  Privilege,
  type RegistryEntry,
} from "../../runtime/registry.ts"
import { reaches } from "./sd-authority.ts"
import type { SdContext } from "./sd-context.ts"

const CARD_TRANSITIONS: ReadonlyMap<number, ReadonlyArray<number>> = new Map([
  [CardLifeCycle.OP_READY, [CardLifeCycle.INITIALIZED, CardLifeCycle.SECURED]],
  [CardLifeCycle.INITIALIZED, [CardLifeCycle.SECURED]],
  [CardLifeCycle.SECURED, [CardLifeCycle.CARD_LOCKED]],
  [CardLifeCycle.CARD_LOCKED, [CardLifeCycle.SECURED]],
])

const setCard = (ctx: SdContext, next: number): Reply => {
  const allowed =
    next === CardLifeCycle.TERMINATED
      ? hasPrivilege(ctx.sd.privileges, Privilege.CARD_TERMINATE)
      : hasPrivilege(ctx.sd.privileges, Privilege.CARD_LOCK) || ctx.sd.kind === EntryKind.ISD
  if (!allowed) return fail("security-status")
  const legal =
    next === CardLifeCycle.TERMINATED || (CARD_TRANSITIONS.get(ctx.state.lifeCycle) ?? []).includes(next)
  if (!legal) return fail("conditions-not-satisfied")
  ctx.state.lifeCycle = next as CardLifeCycle
  const isd = ctx.state.entries.find((e) => e.kind === EntryKind.ISD)
  if (isd !== undefined) isd.lifeCycle = next
  ctx.markDirty()
  return done()
}

const lockable = (ctx: SdContext, entry: RegistryEntry): boolean =>
  (entry.kind === EntryKind.APPLICATION || entry.kind === EntryKind.SSD) &&
  entry.id !== ctx.sd.id &&
  (reaches(ctx, entry) || hasPrivilege(ctx.sd.privileges, Privilege.GLOBAL_LOCK))

export const setStatus = (ctx: SdContext, command: CommandApdu): Reply => {
  if (command.p1 === 0x80)
    return command.data.length === 0 || findByAid(ctx.state, command.data)?.kind === EntryKind.ISD
      ? setCard(ctx, command.p2)
      : fail("referenced-data-not-found")
  if (command.p1 !== 0x40 && command.p1 !== 0xc0) return fail("incorrect-p1p2")
  if (command.p2 !== 0x80 && command.p2 !== 0x00) return fail("incorrect-p1p2")
  const entry = findByAid(ctx.state, command.data)
  if (entry === undefined) return fail("referenced-data-not-found")
  if (!lockable(ctx, entry)) return fail("security-status")
  if (command.p1 === 0xc0 && entry.kind !== EntryKind.SSD) return fail("incorrect-data")
  const affected =
    command.p1 === 0xc0
      ? ctx.state.entries.filter(
          (e) => e === entry || (e.sdId === entry.id && e.kind === EntryKind.APPLICATION),
        )
      : [entry]
  for (const e of affected) {
    e.lifeCycle =
      command.p2 === 0x80 ? e.lifeCycle | AppLifeCycle.LOCKED_BIT : e.lifeCycle & ~AppLifeCycle.LOCKED_BIT
  }
  ctx.markDirty()
  return done()
}
