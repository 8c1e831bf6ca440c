/**
 * `npm run bench:card`: the card layer's throughput on one core with native crypto — full OTA
 * personalizations (issue the card, ISD session, SSD creation, PUT KEY, package load, SSD session,
 * install, STORE DATA with the encrypted DGI 8000; both the host and the card side), qPBOC offline
 * e-cash transactions, online transactions (standard path: ARQC, the issuer's ARPC, EXTERNAL
 * AUTHENTICATE, second GENERATE AC) — and the bytes of a card image after personalization
 * (budget ≤ 1 KiB, DESIGN.md §5). JSON lines, then a short summary.
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

/** Cards restored from the personalized image, replaced every TRANSACTIONS_PER_CARD transactions. */
const cardSupply = () => {
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

const transactionRate = (path: "qpboc" | "pboc", amountFen: number, expected: string) => {
  const next = cardSupply()
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
    )
    if (outcome.kind !== expected) throw new Error(`${path} transaction gave ${outcome.kind}`)
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
    `  card image           ${image.length} bytes after personalization (budget ${IMAGE_BYTES_MAX})\n`,
)
