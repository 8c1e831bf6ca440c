/**
 * What the card keeps per logical channel in RAM (ISO 7816-4 §5.1.1.2; GP 2.3 §10.2: a secure
 * channel session belongs to one channel): the selection, the applet's session object, the
 * security domain's secure channel, and the multi-command operations in progress.
 */
import type { CardChannel, CardPending } from "../secure-channel/secure-channel.ts"

export interface ChannelState {
  /** Registry id of the selected entry, or null. */
  selectedId: number | null
  /** The selected applet's transient state (`AppletClass.newSession()`). */
  appletSession: unknown
  /** Between INITIALIZE UPDATE and EXTERNAL AUTHENTICATE. */
  pending: CardPending | null
  /** The open secure channel session, and the id of the security domain it belongs to. */
  secure: CardChannel | null
  secureSdId: number
  /** After INSTALL [for personalization]: the target and the next STORE DATA block number. */
  personalization: { targetId: number; nextBlock: number; session: unknown } | null
  /** After INSTALL [for load]: the load file being received. */
  /** INSTALL [for load] until the last LOAD: the file, its domain, the hash INSTALL announced. */
  loading: {
    aid: Uint8Array
    sdId: number
    nextBlock: number
    received: Uint8Array[]
    hash: Uint8Array
  } | null
  /** GET STATUS continuation (6310): entries not yet returned. */
  statusRest: ReadonlyArray<Uint8Array> | null
  /** Response bytes waiting for GET RESPONSE (61xx). */
  responseRest: Uint8Array | null
}

export const newChannelState = (selectedId: number | null): ChannelState => ({
  selectedId,
  appletSession: undefined,
  pending: null,
  secure: null,
  secureSdId: 0,
  personalization: null,
  loading: null,
  statusRest: null,
  responseRest: null,
})

/** Ends the secure channel session and every operation that depended on it (GP 2.3 §10.2.3). */
export const closeSession = (channel: ChannelState): void => {
  channel.pending = null
  channel.secure = null
  channel.secureSdId = 0
  channel.personalization = null
  channel.loading = null
  channel.statusRest = null
}
