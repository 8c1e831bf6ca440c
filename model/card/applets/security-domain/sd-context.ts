/**
 * What the card runtime hands the built-in security domain for one command: the materialized
 * card state (mutable; `markDirty` asks the runtime to commit it as one transaction), the
 * channel's RAM state, the SD's own registry entry, and the card's services.
 */
import type { Crypto } from "../../../crypto/crypto.ts"
import type { AppletClass, StoreDataBlock } from "../../applet.ts"
import type { CardProfile } from "../../profile.ts"
import type { ChannelState } from "../../runtime/channel-state.ts"
import type { Reply } from "../../runtime/outcome.ts"
import type { CardState, RegistryEntry } from "../../runtime/registry.ts"

export interface SdContext {
  readonly state: CardState
  readonly sd: RegistryEntry
  readonly channel: ChannelState
  readonly channelNumber: number
  readonly profile: CardProfile
  readonly crypto: Crypto
  readonly entropy: (lengthBytes: number) => Uint8Array
  readonly appletClasses: ReadonlyArray<AppletClass>
  readonly markDirty: () => void
  /** Forwards a STORE DATA block to an application instance (runtime/applet-dispatch.ts). */
  readonly personalizeApplet: (target: RegistryEntry, block: StoreDataBlock) => Reply
}
