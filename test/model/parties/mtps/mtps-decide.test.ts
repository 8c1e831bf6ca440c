// Proves the MTPS hub's pure decide: it never writes its state, answers only the sender, the SE's
// issuer or the order's origin, routes a request to exactly the issuer the registry names, lets
// only the signing SP create an SSD or change the registry, and passes issuers' answers back
// unchanged to the institution that asked.
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import type { Message } from "../../../../model/parties/messages/messages.ts"
import { decideMtps, type MtpsInput, type MtpsState } from "../../../../model/parties/mtps/mtps-decide.ts"
import { message } from "../messages/message-arbitraries.ts"

const INSTITUTIONS = ["gzt-tsm", "ccb-sp-tsm", "cmcc-tsm", "nfcsd-tsm", "ese-tsm"] as const
const ISSUERS = new Set(["cmcc-tsm", "nfcsd-tsm", "ese-tsm"])

/** States whose registry knows some of the SE ids the message generator produces, or none. */
const world = fc.record({
  issuerOf: fc.array(fc.tuple(fc.string(), fc.constantFrom(...ISSUERS)), { maxLength: 4 }),
  originOf: fc.array(fc.tuple(fc.string({ maxLength: 3 }), fc.constantFrom("gzt-tsm", "ccb-sp-tsm"))),
})

const input = fc.record({
  sender: fc.constantFrom(...INSTITUTIONS),
  orderId: fc.string({ maxLength: 3 }),
  nonceHex: fc.constant("00".repeat(16)),
  message,
})

/** Puts the message's SE into the registry half the time, so routing is exercised too. */
type World = { issuerOf: Array<[string, string]>; originOf: Array<[string, string]> }

/** The hub's state as Maps (MtpsHub's form), so the test can also look inside it. */
type MapState = MtpsState & { readonly issuerOf: Map<string, string>; readonly originOf: Map<string, string> }

const stateFor = (w: World, i: MtpsInput, known: boolean): MapState => {
  const seId = (i.message as { seId?: string }).seId
  const issuerOf = new Map<string, string>(w.issuerOf)
  if (known && seId !== undefined) issuerOf.set(seId, "cmcc-tsm")
  return { issuerOf, originOf: new Map<string, string>(w.originOf), issuers: ISSUERS }
}

const signerTagged = (m: Message): boolean => m._tag === "SsdCreateRequest" || m._tag === "RegistryUpdate"

describe("decideMtps", () => {
  it("keeps its state, sends only where it may, and routes by the registry", () => {
    fc.assert(
      fc.property(world, input, fc.boolean(), (w, i, known) => {
        const state = stateFor(w, i, known)
        const before = JSON.stringify([[...state.issuerOf], [...state.originOf]])
        const actions = decideMtps(state, i)
        expect(JSON.stringify([[...state.issuerOf], [...state.originOf]])).toBe(before)
        expect(decideMtps(state, i)).toEqual(actions)
        const sends = actions.flatMap((a) => (a.kind === "send" ? [a] : []))
        if (ISSUERS.has(i.sender)) {
          // An issuer's message is an answer: unchanged, to the order's origin, or dropped.
          const origin = state.originOf.get(i.orderId)
          expect(actions).toEqual(
            origin === undefined ? [] : [{ kind: "send", to: origin, message: i.message }],
          )
          return
        }
        for (const send of sends) {
          const allowed =
            send.to === i.sender || send.to === state.issuerOf.get((i.message as { seId: string }).seId)
          expect(allowed).toBe(true)
          if (send.to !== i.sender) expect(send.message).toBe(i.message)
        }
        const claimed = (i.message as { serviceProviderId?: string }).serviceProviderId
        if (signerTagged(i.message) && claimed !== i.sender) {
          expect(actions).toHaveLength(1)
          expect(sends[0]?.message).toMatchObject({ _tag: "ErrorReport", code: "refused" })
        }
        const routed = actions.some((a) => a.kind === "route")
        if (routed) expect(actions).toContainEqual({ kind: "route", orderId: i.orderId, origin: i.sender })
        if (routed) expect(state.issuerOf.has((i.message as { seId: string }).seId)).toBe(true)
      }),
      { numRuns: 500 },
    )
  })

  it("routes an SP's SSD creation for a registered SE to its issuer and remembers the origin", () => {
    const request: Message = {
      _tag: "SsdCreateRequest",
      attempt: 1,
      flow: "ota-issuance",
      seId: "5345000000000001",
      ssdAid: "A00000033353534401",
      serviceProviderId: "gzt-tsm",
    }
    const state = {
      issuerOf: new Map([["5345000000000001", "cmcc-tsm"]]),
      originOf: new Map(),
      issuers: ISSUERS,
    }
    const input = { sender: "gzt-tsm", orderId: "u1-issue", nonceHex: "00".repeat(16), message: request }
    expect(decideMtps(state, input)).toEqual([
      { kind: "route", orderId: "u1-issue", origin: "gzt-tsm" },
      { kind: "send", to: "cmcc-tsm", message: request },
    ])
    expect(decideMtps(state, { ...input, sender: "ccb-sp-tsm" })).toEqual([
      {
        kind: "send",
        to: "ccb-sp-tsm",
        message: expect.objectContaining({ _tag: "ErrorReport", code: "refused" }),
      },
    ])
  })
})
