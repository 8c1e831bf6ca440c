/**
 * The SE makers: a fresh secure element of a card profile (NFC-SIM, NFC-SD or eSE,
 * model/card/profile.ts) with diversified ISD keys from the seed, and the PBOC package pre-loaded
 * by the SE maker (CALIBRATION.md §2.4 assumption 1: only SSD creation, instantiation and
 * personalization go over the air).
 */
import { PBOC_APPLET } from "../../card/applets/pboc/pboc-applet.ts"
import { PPSE_APPLET } from "../../card/applets/pboc/ppse-applet.ts"
import { loadFileBlock } from "../../card/applets/security-domain/sd-load.ts"
import { createCard, issueCardImage, type SimulatedCard } from "../../card/card.ts"
import type { CardProfile } from "../../card/profile.ts"
import type { Crypto } from "../../crypto/crypto.ts"
import { seededBytes } from "../../host/card-story/seeded-bytes.ts"
import { PBOC_PACKAGE_AID, STORY_CLASSES } from "../../host/card-story/story-context.ts"
import { installForLoad, loadBlocks } from "../../host/gp/gp-commands.ts"
import { openSession } from "../../host/gp/gp-session.ts"
import type { DomainAccess } from "../../parties/ota/domain-script.ts"

/** The ISD key version the makers personalize (GP 2.3 §11.8 leaves the value to the issuer). */
const ISD_KVN = 0x20

export const makeSe = (
  crypto: Crypto,
  seed: number,
  seId: string,
  profile: CardProfile,
): { card: SimulatedCard; access: DomainAccess } => {
  const draw = seededBytes(crypto, seed, `se:${seId}`)
  const keys = { enc: draw(16), mac: draw(16), dek: draw(16) }
  const image = issueCardImage(profile, { serial: draw(4), isdKeys: { kvn: ISD_KVN, ...keys } })
  const card = createCard({
    profile,
    image,
    crypto,
    entropy: seededBytes(crypto, seed, `card:${seId}`),
    appletClasses: STORY_CLASSES,
  })
  card.reset()
  const access: DomainAccess = { protocol: profile.scp.protocol, aid: profile.isdAid, kvn: ISD_KVN, keys }
  card.transmit(Uint8Array.of(0x00, 0xa4, 0x04, 0x00, access.aid.length, ...access.aid, 0x00))
  const session = openSession(crypto, card.transmit, {
    protocol: access.protocol,
    keys,
    kvn: ISD_KVN,
    level: 0x03,
    hostChallenge: draw(8),
  })
  if (!session.ok) throw new Error(`SE ${seId}: the maker's ISD session failed`)
  for (const c of [
    installForLoad(PBOC_PACKAGE_AID),
    ...loadBlocks(loadFileBlock([PBOC_APPLET.name, PPSE_APPLET.name])),
  ]) {
    const r = session.value.send(c)
    if (!r.ok || r.value.sw !== 0x9000) throw new Error(`SE ${seId}: pre-loading the PBOC package failed`)
  }
  return { card, access }
}
