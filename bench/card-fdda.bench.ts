/**
 * `npm run bench:card` (second part): what offline data authentication costs a qPBOC transaction.
 * The same offline e-cash purchase runs without ODA and with fDDA (RSA and SM2: the card signs
 * 9F4B at GPO, the kernel verifies CA → issuer → ICC → 9F4B), on cards restored from their
 * personalized images; the difference per transaction is fDDA's cost, and the image bytes show what
 * the ODA keys and certificates add to a card (DESIGN.md §5: ≤ 1 KiB). Figures, not assertions;
 * wall-clock rates on one core (measure.ts), so run it on a quiet machine.
 */
import { createCard, type SimulatedCard } from "../model/card/card.ts"
import { nativeCrypto } from "../model/crypto/native-crypto.ts"
import { runCardStory } from "../model/host/card-story/card-story.ts"
import { seededBytes } from "../model/host/card-story/seeded-bytes.ts"
import { STORY_CLASSES, type StoryContext } from "../model/host/card-story/story-context.ts"
import { answerOnlineRequest } from "../model/host/issuer/online-issuer.ts"
import { runTransaction } from "../model/host/terminal/qpboc-kernel.ts"
import { TYPE_PURCHASE } from "../model/host/terminal/terminal-data.ts"
import { measure, printLine } from "./measure.ts"

const crypto = nativeCrypto
const BUDGET_MS = 3_000
/** A fresh card before the ATC (2 bytes) or the e-cash balance can run out. */
const TRANSACTIONS_PER_CARD = 10_000

let seed = 1

const personalized = runCardStory({ seed: 1, crypto, until: "personalize" })
const ctx: StoryContext = personalized.context
const image = ctx.card.image()

/** Cards restored from a personalized image, replaced every TRANSACTIONS_PER_CARD transactions. */
const cardSupply = (ctx: StoryContext, image: Uint8Array) => {
  let card: SimulatedCard | null = null
  let used = 0
  return (): SimulatedCard => {
    if (card === null || used++ === TRANSACTIONS_PER_CARD) {
      card = createCard({
        profile: ctx.profile,
        image,
        crypto,
        entropy: seededBytes(crypto, seed++, "card"),
        appletClasses: STORY_CLASSES,
      })
      card.reset()
      used = 1
    }
    return card
  }
}

const un = seededBytes(crypto, 1, "terminal-un")
const authorize = (request: Parameters<typeof answerOnlineRequest>[3]) =>
  answerOnlineRequest(crypto, ctx.algorithm, ctx.keys.imks, request, { approve: true, loadFen: null })

const transactionRate = (
  path: "qpboc" | "pboc",
  amountFen: number,
  expected: string,
  story: StoryContext = ctx,
  storyImage: Uint8Array = image,
) => {
  const next = cardSupply(story, storyImage)
  return measure(() => {
    const outcome = runTransaction(
      next(),
      {
        amountFen,
        type: TYPE_PURCHASE,
        dateYymmdd: "150801",
        unpredictableNumber: un(4),
        path,
        ecashSupported: path === "qpboc",
        onlineRequired: false,
      },
      authorize,
      story.kernel,
    )
    if (outcome.kind !== expected) throw new Error(`${path} transaction gave ${outcome.kind}`)
    if (story.kernel !== undefined && outcome.kind === "approved-offline" && outcome.checks?.oda !== "passed")
      throw new Error("fDDA did not pass")
  }, BUDGET_MS)
}

const offline = transactionRate("qpboc", 1, "approved-offline")
printLine({ bench: "card", op: "qpboc-offline", opsPerSec: Math.round(offline.opsPerSec) })
const fdda = (["rsa", "sm2"] as const).map((oda) => {
  const story = runCardStory({ seed: 1, crypto, until: "personalize", oda })
  const odaImage = story.context.card.image()
  const rate = transactionRate("qpboc", 1, "approved-offline", story.context, odaImage)
  const perTxMs = 1000 / rate.opsPerSec
  const extraMs = perTxMs - 1000 / offline.opsPerSec
  printLine({
    bench: "card",
    op: `qpboc-offline-fdda-${oda}`,
    opsPerSec: Math.round(rate.opsPerSec),
    msPerTransaction: Number(perTxMs.toFixed(2)),
    fddaMsPerTransaction: Number(extraMs.toFixed(2)),
    imageBytes: odaImage.length,
  })
  return { oda, rate: rate.opsPerSec, extraMs, imageBytes: odaImage.length }
})
process.stdout.write(
  `\n${ctx.profile.name}, PBOC ${ctx.algorithm.name}, native crypto, one core, cards restored from their images:\n` +
    `  qPBOC offline        ${Math.round(offline.opsPerSec).toLocaleString("en")}/s without ODA\n` +
    fdda
      .map(
        (f) =>
          `  qPBOC offline + fDDA ${f.oda.toUpperCase().padEnd(3)} ${Math.round(f.rate).toLocaleString("en")}/s ` +
          `(fDDA ≈ ${f.extraMs.toFixed(2)} ms per transaction, card signing + kernel chain check; image ${f.imageBytes} bytes)\n`,
      )
      .join(""),
)
