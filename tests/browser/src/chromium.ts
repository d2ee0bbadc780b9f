import { existsSync } from 'node:fs'
import { type Browser, chromium } from 'playwright-core'

/** Debian's Chromium, unless `CHROMIUM_PATH` names another build. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

/** The one line printed when Chromium is missing (a failure under `CI=true`). */
export const CHROMIUM_MISSING = `Chromium is not installed at ${CHROMIUM_PATH}: install it with \`apt-get install -y chromium\` (Debian/Ubuntu) or set CHROMIUM_PATH to a Chromium or Chrome binary. Never \`npx playwright install\`.`

export function chromiumInstalled(): boolean {
  return existsSync(CHROMIUM_PATH)
}

/** Launches headless Chromium; the suite starts one and gives each "device" its own context. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
    ],
    timeout: 30_000,
  })
}
