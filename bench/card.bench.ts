/**
 * `npm run bench:card`: the byte-level card path as the pilot runs it (model/world/pilot), with
 * native crypto on one core, in CPU time (rounds.ts: equal warm-up, ≥ 3 rounds, median and range,
 * load average on every line):
 * - issuance: the TSM's SM2-signed order verified, then the full OTA story (ISD session, SSD
 *   creation, PUT KEY, package load, SSD session, install, STORE DATA with DGI 8000 encrypted);
 * - transactions from the stored image: every transaction materializes a held card from its
 *   compact image, runs the terminal kernel and the issuer host against it and puts it away
 *   (qPBOC offline e-cash, online with ARQC/ARPC, 圈存 load by issuer script), round-robin over
 *   many held cards, so no card object stays warm between its sessions;
 * - bytes: the image after personalization (DESIGN.md §5: ≤ 1 KiB) and the JS heap plus array
 *   buffers retained per held card, measured in a fresh --expose-gc process as (held − forgotten)
 *   ÷ cards, so code and bounded caches that do not grow with the cards are not counted.
 * `npm run bench:card -- retained` runs the memory measurement alone.
 */
import { execFileSync } from "node:child_process"
import { fileURLToPath } from "node:url"
import { cachedKeyCount, KEYS_MAX } from "../model/crypto/native-cipher-cache.ts"
import { nativeCrypto } from "../model/crypto/native-crypto.ts"
import { runCardStory } from "../model/host/card-story/card-story.ts"
import type { TransactionKind } from "../model/population/population-params.ts"
import { ByteLevelCards } from "../model/world/pilot/byte-level-cards.ts"
import { heldCardOf } from "../model/world/pilot/held-card.ts"
import { figureLine, interleaved, machine, printLine } from "./rounds.ts"

const crypto = nativeCrypto
const IMAGE_BYTES_MAX = 1_024
const RETAINED_BYTES_MAX = 1_024
/** Held cards the transactions rotate over. */
const HELD_CARDS = 200
const SEED = 20140801

const issuance = (): void => {
  const cards = new ByteLevelCards(crypto, SEED)
  let user = 0
  const [f] = interleaved([{ name: "issuance", run: () => cards.issue(user++, 0) }], { budgetMs: 1_500 })
  printLine({
    ...figureLine("card", "issuance (SM2 order + OTA personalization)", f!),
    apdusPerIssuance: Math.round(cards.tally.apdus / cards.tally.issued),
  })
  if (cards.tally.violations.length > 0) throw new Error(cards.tally.violations[0])
}

const transactions = (): void => {
  const cards = new ByteLevelCards(crypto, SEED + 1)
  for (let u = 0; u < HELD_CARDS; u++) cards.issue(u, 0)
  const issuedApdus = cards.tally.apdus
  const path = (kind: TransactionKind, amountFen: number) => (i: number) =>
    cards.transact(i % HELD_CARDS, kind, amountFen, "2015-08-01")
  const figures = interleaved(
    [
      { name: "qpboc-offline", run: path("purchase-offline", 100) },
      { name: "online-with-arpc", run: path("purchase-online", 30_000) },
      { name: "ecash-load-by-script", run: path("load", 100) },
    ],
    { budgetMs: 1_000 },
  )
  for (const f of figures) printLine(figureLine("card", `${f.name}, from the stored image`, f))
  const t = cards.tally
  printLine({
    bench: "card",
    heldCards: cards.held,
    transactions: t.transactions,
    apdusPerTransaction: Number(((t.apdus - issuedApdus) / t.transactions).toFixed(1)),
    violations: t.violations.length,
    firstViolation: t.violations[0] ?? null,
  })
}

/** Issues a card and runs an offline and an online transaction on it, as a pilot user would. */
const useCard = (cards: ByteLevelCards, user: number): void => {
  cards.issue(user, 0)
  cards.transact(user, "purchase-offline", 100, "2015-08-01")
  cards.transact(user, "purchase-online", 3_000, "2015-08-02")
}

const retained = (): void => {
  const collect = (globalThis as { gc?: () => void }).gc
  if (collect === undefined) throw new Error("retained needs --expose-gc")
  const reading = () => {
    collect()
    collect()
    const m = process.memoryUsage()
    return { heap: m.heapUsed, buffers: m.arrayBuffers }
  }
  const cards = new ByteLevelCards(crypto, SEED + 2)
  const warmup = 150
  // Held − forgotten also counts memory that comes and goes with the cards held but is no card's
  // (≈ 300 KB, fitted): per card 1,064 B at 600 cards, 768 at 1,500, 671 at 3,000, 616 at 6,000
  // (2026-12-06). At 3,000 that share is about 100 B per card.
  const measured = 3000
  // Warm-up cards compile the code paths and fill the bounded caches; they stay held throughout.
  for (let u = 0; u < warmup; u++) useCard(cards, 1_000_000 + u)
  for (let u = 0; u < measured; u++) useCard(cards, u)
  const held = reading()
  for (let u = 0; u < measured; u++) cards.forget(u)
  const forgotten = reading()
  const heapPerCard = (held.heap - forgotten.heap) / measured
  const buffersPerCard = (held.buffers - forgotten.buffers) / measured
  const perCard = heapPerCard + buffersPerCard
  printLine({
    bench: "card",
    budget: "retained per held card ≤ 1 KiB (measured: JS heap + array buffers)",
    verdict: perCard <= RETAINED_BYTES_MAX ? "met" : "missed",
    bytes: Math.round(perCard),
    heapBytes: Math.round(heapPerCard),
    arrayBufferBytes: Math.round(buffersPerCard),
    maximum: RETAINED_BYTES_MAX,
    cards: measured,
    cipherKeysCached: cachedKeyCount(),
    cipherKeysMax: KEYS_MAX,
    violations: cards.tally.violations.length,
    ...machine(),
  })
}

const imageBytes = (): void => {
  const story = runCardStory({ seed: SEED, crypto, record: false, until: "personalize" })
  if (!story.ok) throw new Error("personalization failed")
  // What the pilot keeps between sessions: the held card's image.
  const bytes = heldCardOf(story.context, SEED).image.length
  printLine({
    bench: "card",
    budget: "image bytes after personalization ≤ 1 KiB (DESIGN.md §5)",
    verdict: bytes <= IMAGE_BYTES_MAX ? "met" : "missed",
    bytes,
    maximum: IMAGE_BYTES_MAX,
  })
}

if (process.argv[2] === "retained") retained()
else {
  issuance()
  transactions()
  imageBytes()
  const self = fileURLToPath(import.meta.url)
  process.stdout.write(
    execFileSync(process.execPath, ["--expose-gc", "--import", "tsx", self, "retained"], {
      encoding: "utf8",
    }),
  )
}
