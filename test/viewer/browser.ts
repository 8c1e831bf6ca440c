/**
 * A test fixture, not a test: Debian's chromium driven by playwright-core (STACK.md: never a
 * downloaded browser), and the folder where browser tests keep their screenshots.
 */
import { existsSync, mkdirSync } from "node:fs"
import { resolve } from "node:path"
import { type Browser, chromium } from "playwright-core"

export const CHROMIUM = "/usr/bin/chromium"
export const ARTIFACTS = resolve(import.meta.dirname, "../../out/test-artifacts/viewer")

export const launchChromium = async (): Promise<Browser> => {
  if (!existsSync(CHROMIUM))
    throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium (.ci/run does)`)
  mkdirSync(ARTIFACTS, { recursive: true })
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  })
}
