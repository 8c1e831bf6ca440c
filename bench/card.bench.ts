/**
 * `npm run bench:card`: the card layer's throughput on one core with native crypto — full OTA
 * personalizations (issue the card, ISD session, SSD creation, PUT KEY, package load, SSD session,
 * install, STORE DATA with the encrypted DGI 8000; both the host and the card side), qPBOC offline
 * e-cash transactions, online transactions (standard path: ARQC, the issuer's ARPC, EXTERNAL
 * AUTHENTICATE, second GENERATE AC), qPBOC offline transactions with fDDA (RSA and SM2: the card
 * signs 9F4B, the kernel verifies CA → issuer → ICC → 9F4B), fDDA's crypto alone per side, and
 * the bytes of a card image after personalization (budget ≤ 1 KiB, DESIGN.md §5). JSON lines,
 * then a short summary.
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
const IMAGE_BYTES_MAX = 1_024
/** A fresh card before the ATC (2 bytes) or the e-cash balance can run out. */
const TRANSACTIONS_PER_CARD = 10_000

let seed = 1
const personalizeOne = () => {
  const story = runCardStory({ seed: seed++, crypto, until: "personalize", record: false })
  if (!story.ok) throw new Error(`personalization failed at seed ${seed - 1}`)
  return story
}

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

const perso = measure(personalizeOne, BUDGET_MS)
const simulatedMs = (ctx.card.nowUs() - personalized.exchanges[0]!.atUs) / 1000
printLine({
  bench: "card",
  op: "ota-personalization",
  opsPerSec: Math.round(perso.opsPerSec),
  apdus: personalized.exchanges.length,
  simulatedCardMs: Math.round(simulatedMs),
})
const offline = transactionRate("qpboc", 1, "approved-offline")
printLine({ bench: "card", op: "qpboc-offline", opsPerSec: Math.round(offline.opsPerSec) })
const online = transactionRate("pboc", 30_000, "approved-online")
printLine({ bench: "card", op: "online-with-arpc", opsPerSec: Math.round(online.opsPerSec) })
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
printLine({
  bench: "card",
  budget: "image bytes after personalization",
  bytes: image.length,
  maximum: IMAGE_BYTES_MAX,
  met: image.length <= IMAGE_BYTES_MAX,
})

process.stdout.write(
  `\n${ctx.profile.name} (${ctx.profile.scp.protocol}), PBOC ${ctx.algorithm.name}, native crypto, one core:\n` +
    `  OTA personalization  ${Math.round(perso.opsPerSec).toLocaleString("en")}/s ` +
    `(${personalized.exchanges.length} APDUs, ${Math.round(simulatedMs)} ms of simulated card time each)\n` +
    `  qPBOC offline        ${Math.round(offline.opsPerSec).toLocaleString("en")}/s\n` +
    `  online with ARPC     ${Math.round(online.opsPerSec).toLocaleString("en")}/s (card, kernel and issuer host)\n` +
    `  card image           ${image.length} bytes after personalization (budget ${IMAGE_BYTES_MAX})\n` +
    fdda
      .map(
        (f) =>
          `  qPBOC offline + fDDA ${f.oda.toUpperCase().padEnd(3)} ${Math.round(f.rate).toLocaleString("en")}/s ` +
          `(fDDA ≈ ${f.extraMs.toFixed(2)} ms per transaction, card signing + kernel chain check; image ${f.imageBytes} bytes)\n`,
      )
      .join(""),
)
