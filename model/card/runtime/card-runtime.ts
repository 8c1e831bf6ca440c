/**
 * The card runtime behind `Card` (card.ts): decodes each command, routes it by CLA channel to
 * MANAGE CHANNEL, GET RESPONSE, SELECT or the entry selected on that channel, and commits the
 * state changes of the command as one NVM transaction. Every outcome leaves as a status word.
 */
import { type CommandApdu, decodeCommand } from "../../apdu/command.ts"
import { encodeResponse } from "../../apdu/response.ts"
import { moreDataSw, SW } from "../../apdu/status-words.ts"
import { constructed, encodeTlv, tlv } from "../../tlv/ber-tlv.ts"
import type { AppletClass, StoreDataBlock } from "../applet.ts"
import { processSecurityDomain } from "../applets/security-domain/security-domain.ts"
import { runApplet } from "./applet-dispatch.ts"
import type { CardOptions } from "./card-options.ts"
import { type ChannelState, newChannelState } from "./channel-state.ts"
import { type ClassByte, decodeCla } from "./cla.ts"
import { decodeImage, encodeImage } from "./image.ts"
import { Nvm, PowerLoss } from "./nvm.ts"
import { done, fail, type Reply } from "./outcome.ts"
import {
  CardLifeCycle,
  type CardState,
  EntryKind,
  findById,
  isSecurityDomain,
  type RegistryEntry,
} from "./registry.ts"
import { findSelection } from "./select.ts"

const MUTE = Uint8Array.of(0x6f, 0x00)
/** Short APDUs: the largest command data field a security domain accepts (9F65 in its FCI). */
const MAX_COMMAND_DATA_BYTES = 0xff

export class CardRuntime {
  private readonly nvm: Nvm
  private state: CardState
  private channels: Array<ChannelState | null> = []
  private powered = false
  private dirty = false

  constructor(private readonly options: CardOptions) {
    this.nvm = new Nvm(options.image, options.profile.imageBytesMax)
    // A fresh NVM has no journal to recover: the power-up is reset()'s without its recovery, so
    // the image is decoded once here (a held card is rebuilt from its image every session).
    this.state = decodeImage(this.nvm.image())
    this.powerUp()
  }

  reset(): Uint8Array {
    this.nvm.recover()
    this.state = decodeImage(this.nvm.image())
    return this.powerUp()
  }

  /** Fresh logical channels (the basic one on the ISD) and the ATR (ISO/IEC 7816-3 cold reset). */
  private powerUp(): Uint8Array {
    const isd = this.state.entries.find((e) => e.kind === EntryKind.ISD)
    this.channels = Array.from({ length: this.options.profile.logicalChannelsMax }, () => null)
    this.channels[0] = newChannelState(isd?.id ?? null)
    this.powered = true
    return this.options.profile.atr.slice()
  }

  image(): Uint8Array {
    return this.nvm.image()
  }

  tearAfterWrite(index: number | null): void {
    this.nvm.tearAfterWrite(index)
  }

  writeCount(): number {
    return this.nvm.writeCount()
  }

  transmit(bytes: Uint8Array): Uint8Array {
    if (!this.powered) return MUTE.slice()
    try {
      this.dirty = false
      const reply = this.dispatch(bytes)
      if (this.dirty) this.nvm.store(encodeImage(this.state))
      return encodeResponse(reply)
    } catch (error) {
      if (!(error instanceof PowerLoss)) throw error
      this.powered = false
      return MUTE.slice()
    }
  }

  private dispatch(bytes: Uint8Array): Reply {
    const decoded = decodeCommand(bytes)
    if (!decoded.ok) return fail("wrong-length")
    const command = decoded.value
    const cla = decodeCla(command.cla)
    if (typeof cla === "string") return fail(cla)
    const channel = this.channels[cla.channel]
    if (channel === undefined || channel === null) return fail("channel-not-supported")
    if (!cla.proprietary && command.ins === 0x70) return this.manageChannel(command, cla)
    if (!cla.proprietary && command.ins === 0xc0) return this.getResponse(channel, command)
    channel.responseRest = null
    if ((command.ins & 0xf0) === 0x60 || (command.ins & 0xf0) === 0x90) return fail("ins-not-supported")
    const normalized = { ...command, cla: cla.normalized }
    const reply =
      !cla.proprietary && command.ins === 0xa4
        ? this.select(channel, normalized)
        : this.forward(channel, cla, normalized)
    return this.chunk(channel, reply)
  }

  /** Long answers go out in pieces through 61xx / GET RESPONSE (ISO 7816-4 §5.1.3). */
  private chunk(channel: ChannelState, reply: Reply): Reply {
    const max = this.options.profile.responseBytesMax
    if (reply.data.length <= max) return reply
    channel.responseRest = reply.data.slice(max)
    return { data: reply.data.slice(0, max), sw: moreDataSw(channel.responseRest.length) }
  }

  private getResponse(channel: ChannelState, command: CommandApdu): Reply {
    const rest = channel.responseRest
    if (rest === null) return fail("conditions-not-satisfied")
    if (command.p1 !== 0 || command.p2 !== 0) return fail("incorrect-p1p2")
    const take = Math.min(rest.length, command.le ?? 256, 256)
    const remaining = rest.slice(take)
    channel.responseRest = remaining.length > 0 ? remaining : null
    return { data: rest.slice(0, take), sw: remaining.length > 0 ? moreDataSw(remaining.length) : SW.OK }
  }

  /** MANAGE CHANNEL (ISO 7816-4 §11.1.2): open (P1 00) and close (P1 80). */
  private manageChannel(command: CommandApdu, cla: ClassByte): Reply {
    if (command.p1 === 0x80) {
      const target = command.p2 === 0 ? cla.channel : command.p2
      if (target === 0 || target >= this.channels.length || command.data.length > 0)
        return fail("incorrect-p1p2")
      if (this.channels[target] === null) return fail("channel-not-supported")
      this.channels[target] = null
      return done()
    }
    if (command.p1 !== 0x00 || command.data.length > 0) return fail("incorrect-p1p2")
    const wanted = command.p2 === 0 ? this.channels.findIndex((c, i) => i > 0 && c === null) : command.p2
    if (wanted < 0) return fail("no-channel-available")
    if (wanted >= this.channels.length || this.channels[wanted] !== null) return fail("incorrect-p1p2")
    const isd = this.state.entries.find((e) => e.kind === EntryKind.ISD)
    this.channels[wanted] = newChannelState(isd?.id ?? null)
    return done(command.p2 === 0 ? Uint8Array.of(wanted) : new Uint8Array(0))
  }

  private select(channel: ChannelState, command: CommandApdu): Reply {
    const found = findSelection(this.state, command, channel.selectedId)
    if (typeof found === "string") return fail(found)
    Object.assign(channel, newChannelState(found.id))
    if (isSecurityDomain(found)) {
      const sw = this.state.lifeCycle === CardLifeCycle.CARD_LOCKED ? SW.SELECTED_FILE_INVALIDATED : SW.OK
      return done(this.sdFci(found), sw)
    }
    const cls = this.classOf(found)
    if (cls === undefined) return fail("not-found")
    channel.appletSession = cls.newSession()
    return this.applet(channel, found, cls, (c, ctx) => c.select(ctx, command))
  }

  /**
   * A security domain's FCI (GP 2.3 §11.9.3.1): DF name, and in the proprietary template the
   * maximum command data length (9F65). Built with the TLV encoder, so lengths cannot drift.
   */
  private sdFci(sd: RegistryEntry): Uint8Array {
    return encodeTlv(
      constructed(0x6f, [
        tlv(0x84, sd.aid),
        constructed(0xa5, [tlv(0x9f65, Uint8Array.of(MAX_COMMAND_DATA_BYTES))]),
      ]),
    )
  }

  private classOf(entry: RegistryEntry): AppletClass | undefined {
    return this.options.appletClasses.find((c) => c.name === entry.classNames[0])
  }

  private forward(channel: ChannelState, cla: ClassByte, command: CommandApdu): Reply {
    const entry = channel.selectedId === null ? undefined : findById(this.state, channel.selectedId)
    if (entry === undefined) return fail("conditions-not-satisfied")
    if (isSecurityDomain(entry)) {
      return processSecurityDomain(
        {
          state: this.state,
          sd: entry,
          channel,
          channelNumber: cla.channel,
          profile: this.options.profile,
          crypto: this.options.crypto,
          entropy: this.options.entropy,
          appletClasses: this.options.appletClasses,
          markDirty: () => {
            this.dirty = true
          },
          personalizeApplet: (target, block) => this.personalize(channel, target, block),
        },
        command,
      )
    }
    const cls = this.classOf(entry)
    if (cls === undefined) return fail("not-found")
    return this.applet(channel, entry, cls, (c, ctx) => c.process(ctx, command))
  }

  private personalize(channel: ChannelState, target: RegistryEntry, block: StoreDataBlock): Reply {
    const cls = this.classOf(target)
    if (cls === undefined) return fail("referenced-data-not-found")
    const session = channel.personalization?.session
    return this.applet(channel, target, cls, (c, ctx) => c.personalize(ctx, block), session)
  }

  private applet(
    channel: ChannelState,
    entry: RegistryEntry,
    cls: AppletClass,
    call: Parameters<typeof runApplet>[1],
    session: unknown = channel.appletSession,
  ): Reply {
    const run = {
      cls,
      entry,
      channel,
      channelNumber: this.channels.indexOf(channel),
      crypto: this.options.crypto,
      entropy: this.options.entropy,
      session,
      markDirty: () => {
        this.dirty = true
      },
    }
    const response = runApplet(run, call)
    if (!Number.isInteger(response.sw) || response.sw < 0x6000 || response.sw > 0xffff) {
      throw new RangeError(`${cls.name} answered SW ${response.sw}`)
    }
    return { data: response.data, sw: response.sw }
  }
}
