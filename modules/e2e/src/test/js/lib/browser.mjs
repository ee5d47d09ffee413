// Headless Chromium for the demo tests (puppeteer-core on Debian's chromium): one browser, a
// context per user (cookies of its own), page errors and console errors collected.
import { existsSync } from 'node:fs'
import puppeteer from 'puppeteer-core'

export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium'
export const WAIT = { timeout: 15000 }
/** For node:test's skip option: a reason when there is no browser, false otherwise. */
export const noBrowser = !existsSync(CHROMIUM) && `no ${CHROMIUM}`

/** The chat log of a demo page (#log p), and waiting for one of its lines. */
export const lines = (tab) => tab.$$eval('#log p', (ps) => ps.map((p) => p.textContent))
export const waitForLine = (tab, text) => tab.waitForFunction(
  (t) => [...document.querySelectorAll('#log p')].some((p) => p.textContent === t), WAIT, text)

/** {@code from} types {@code text} (#text): {@code to} shows "<who> is typing…" (#typing), {@code from} shows nothing. */
export async function typingShowsOnTheOtherSide(from, to, who, text) {
  await from.waitForFunction(() => !document.querySelector('#text').disabled, WAIT)
  await from.type('#text', text)
  await to.waitForFunction((w) => document.querySelector('#typing').textContent === `${w} is typing…`, WAIT, who)
  return from.$eval('#typing', (e) => e.textContent)
}

/** Runs {@code body(open, errors)} with a fresh browser, closed afterwards. */
export async function withBrowser(body) {
  const browser = await puppeteer.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
  })
  const errors = []
  // A user's tab in a context of its own, at url; resolves once ready(tab) resolves.
  const open = async (user, url, ready) => {
    const context = await browser.createBrowserContext()
    const tab = await context.newPage()
    tab.on('pageerror', (e) => errors.push(`${user}: ${e.message}`))
    tab.on('console', (m) => { if (m.type() === 'error') errors.push(`${user} console: ${m.text()}`) })
    await tab.goto(url)
    await ready(tab)
    return { context, tab }
  }
  try {
    await body(open, errors)
  } finally {
    await browser.close()
  }
}
