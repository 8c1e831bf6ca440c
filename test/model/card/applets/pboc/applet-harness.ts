/**
 * A minimal card for unit-testing applets without the full runtime: it routes SELECT by AID to
 * applet instances on the basic channel, keeps each instance's persistent bytes, commits a
 * command's changes only when the applet does not ask to discard them, and counts persistent
 * writes so tests can cut power between "NVM writes" (here: between commands). It implements the
 * `Card` interface, so the terminal kernel can drive it through bytes.
 */
import { decodeCommand } from "../../../../../model/apdu/command.ts"
import { encodeResponse, response } from "../../../../../model/apdu/response.ts"
import { SW } from "../../../../../model/apdu/status-words.ts"
import { equals } from "../../../../../model/bytes/bytes.ts"
import { err } from "../../../../../model/bytes/result.ts"
import type { AppletClass, AppletContext, AppletResponse } from "../../../../../model/card/applet.ts"
import type { Card } from "../../../../../model/card/card.ts"
import type { Crypto } from "../../../../../model/crypto/crypto.ts"
import { type Dgi, encodeDgiList } from "../../../../../model/tlv/dgi.ts"

interface Instance {
  readonly aid: Uint8Array
  readonly cls: AppletClass<unknown>
  state: Uint8Array
  lifeCycle: number
}

export class HarnessCard implements Card {
  private readonly instances: Instance[] = []
  private selected: { instance: Instance; session: unknown } | null = null
  private counter = 0

  constructor(private readonly crypto: Crypto) {}

  install<S>(cls: AppletClass<S>, aid: Uint8Array): void {
    const initial = cls.install(
      { aid, crypto: this.crypto, entropy: (n) => this.entropy(n) },
      new Uint8Array(0),
    )
    if (!initial.ok) throw new Error(`install refused: ${initial.error}`)
    this.instances.push({ aid, cls: cls as AppletClass<unknown>, state: initial.value, lifeCycle: 0x07 })
  }

  /** STORE DATA blocks for an instance (plain, secure channel already removed), one DGI each. */
  personalize(aid: Uint8Array, dgis: ReadonlyArray<Dgi>): number[] {
    const instance = this.find(aid)
    return dgis.map((dgi, i) => {
      const last = i === dgis.length - 1
      const block = { p1: last ? 0x80 : 0x00, p2: i, data: encodeDgiList([dgi]) }
      return this.run(instance, instance.cls.newSession(), (ctx) => instance.cls.personalize(ctx, block)).sw
    })
  }

  stateOf(aid: Uint8Array): Uint8Array {
    return this.find(aid).state.slice()
  }

  reset(): Uint8Array {
    this.selected = null
    return new Uint8Array([0x3b, 0x00])
  }

  transmit = (bytes: Uint8Array): Uint8Array => {
    const decoded = decodeCommand(bytes)
    if (!decoded.ok) return encodeResponse(response(new Uint8Array(0), SW.WRONG_LENGTH))
    const c = decoded.value
    if (c.cla === 0x00 && c.ins === 0xa4 && c.p1 === 0x04) {
      const instance = this.instances.find((i) => equals(i.aid, c.data))
      if (instance === undefined) return encodeResponse(response(new Uint8Array(0), SW.FILE_NOT_FOUND))
      const session = instance.cls.newSession()
      this.selected = { instance, session }
      const r = this.run(instance, session, (ctx) => instance.cls.select(ctx, c))
      return encodeResponse(response(r.data, r.sw))
    }
    if (this.selected === null)
      return encodeResponse(response(new Uint8Array(0), SW.CONDITIONS_NOT_SATISFIED))
    const { instance, session } = this.selected
    const r = this.run(instance, session, (ctx) => instance.cls.process(ctx, c))
    return encodeResponse(response(r.data, r.sw))
  }

  private find(aid: Uint8Array): Instance {
    const instance = this.instances.find((i) => equals(i.aid, aid))
    if (instance === undefined) throw new Error("no such instance")
    return instance
  }

  private entropy(n: number): Uint8Array {
    const out = new Uint8Array(n)
    for (let i = 0; i < n; i++) out[i] = (this.counter++ * 37 + 11) & 0xff
    return out
  }

  private run(instance: Instance, session: unknown, body: (ctx: AppletContext<unknown>) => AppletResponse) {
    let working: Uint8Array = instance.state.slice()
    let lifeCycle = instance.lifeCycle
    const ctx: AppletContext<unknown> = {
      aid: instance.aid,
      channel: 0,
      lifeCycle,
      crypto: this.crypto,
      entropy: (n) => this.entropy(n),
      session,
      get state() {
        return working
      },
      setState: (next) => {
        working = next
      },
      setLifeCycle: (next) => {
        lifeCycle = next
      },
      secureChannel: { protocol: null, securityLevel: 0, decryptData: () => err("no-session") },
    }
    const r = body(ctx)
    if (r.discard !== true) {
      if (working.length > instance.cls.stateBytesMax) throw new Error("state exceeds stateBytesMax")
      instance.state = working
      instance.lifeCycle = lifeCycle
    }
    return r
  }
}
