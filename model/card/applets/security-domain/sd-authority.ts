/**
 * Who may manage what (GP 2.3 §7.2, §9): the ISD manages the whole card; an SSD with Authorized
 * Management manages the objects associated with it without a token (this is how a bank manages
 * its own SSD); an SSD with Delegated Management needs a token from the card issuer, which
 * sd-delegated-management.ts verifies.
 */
import { EntryKind, hasPrivilege, Privilege, type RegistryEntry } from "../../runtime/registry.ts"
import type { SdContext } from "./sd-context.ts"

export const isIsd = (ctx: SdContext): boolean => ctx.sd.kind === EntryKind.ISD

/** True when `entry` is within the domain's reach: the ISD reaches all, an SSD its own objects. */
export const reaches = (ctx: SdContext, entry: RegistryEntry): boolean =>
  isIsd(ctx) || entry.sdId === ctx.sd.id || hasPrivilege(ctx.sd.privileges, Privilege.GLOBAL_REGISTRY)
