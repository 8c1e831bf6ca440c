// Proves the SE issuer's pure admission: only card-management requests start work; a finished
// request is answered again with its recorded answer, a running one is ignored, an unknown SE is
// refused — so a duplicated or retried request never runs twice on the card.
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import type { Message } from "../../../../model/parties/messages/messages.ts"
import {
  admitRequest,
  isIssuerRequest,
  requestKeyOf,
} from "../../../../model/parties/telco/issuer-requests.ts"
import { message } from "../messages/message-arbitraries.ts"

describe("admitRequest", () => {
  it("starts a request once, answers it again once finished, and refuses unknown SEs", () => {
    fc.assert(
      fc.property(message, fc.string({ maxLength: 8 }), fc.boolean(), (m, orderId, knownSe) => {
        const ses = new Map<string, unknown>()
        if (knownSe && "seId" in m) ses.set(m.seId, {})
        const empty = { finished: new Map<string, Message>(), running: new Map<string, unknown>(), ses }
        const first = admitRequest(empty, orderId, m)
        if (!isIssuerRequest(m)) return void expect(first).toEqual({ kind: "ignore" })
        if (!knownSe) return void expect(first.kind).toBe("refuse")
        expect(first).toEqual({ kind: "start", request: m })
        const key = requestKeyOf(orderId, m)
        const running = { ...empty, running: new Map([[key, {}]]) }
        expect(admitRequest(running, orderId, m)).toEqual({ kind: "ignore" })
        const answer: Message = { _tag: "Acknowledgement", acknowledgedNonce: "00".repeat(16) }
        const finished = { ...empty, finished: new Map([[key, answer]]) }
        expect(admitRequest(finished, orderId, m)).toEqual({ kind: "answer-again", message: answer })
      }),
      { numRuns: 500 },
    )
  })
})
