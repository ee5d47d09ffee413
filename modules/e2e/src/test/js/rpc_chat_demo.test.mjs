// examples/rpc-chat in real Chromium (puppeteer-core, headless): two users in browser contexts of
// their own see each other online (presence), type, talk, and one drops its connection while the
// other talks: it resumes its session and gets every message it missed, once, in order.
// Env: DEMO_URL (the page with ?cable=<port>), SHOTS (a directory for screenshots), CHROMIUM.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdirSync } from 'node:fs'
import { WAIT, lines, noBrowser, typingShowsOnTheOtherSide, waitForLine, withBrowser } from './lib/browser.mjs'

const DEMO_URL = process.env.DEMO_URL
const SHOTS = process.env.SHOTS

const waitForMembers = (tab, expected) => tab.waitForFunction(
  (e) => document.querySelector('#members').textContent === e, WAIT, expected)

test('two browsers: presence, typing, messages, a reconnect that loses nothing', { skip: noBrowser }, () => withBrowser(async (browserOpen, errors) => {
    const open = (user) => browserOpen(user, `${DEMO_URL}&user=${user}&room=lobby`, (tab) => waitForLine(tab, `* you joined lobby as ${user}`))
    const alice = await open('alice')
    await waitForMembers(alice.tab, 'alice')
    const bob = await open('bob')
    await waitForMembers(bob.tab, 'alice, bob')
    await waitForMembers(alice.tab, 'alice, bob')
    await waitForLine(alice.tab, '* bob joined')

    // Typing whispers to the others only.
    assert.equal(await typingShowsOnTheOtherSide(alice.tab, bob.tab, 'alice', 'hello bob'), '')
    await alice.tab.keyboard.press('Enter')
    await waitForLine(bob.tab, 'alice: hello bob')
    await waitForLine(alice.tab, 'alice: hello bob')

    // Bob's connection drops; alice goes on; bob comes back with his session and the history.
    await bob.tab.evaluate(() => window.cable.disconnect())
    for (const text of ['one', 'two', 'three']) {
      await alice.tab.type('#text', text)
      await alice.tab.keyboard.press('Enter')
      await waitForLine(alice.tab, `alice: ${text}`)
    }
    await bob.tab.evaluate(() => window.cable.connect())
    await waitForLine(bob.tab, 'alice: three')
    const missed = (await lines(bob.tab)).filter((l) => ['alice: one', 'alice: two', 'alice: three'].includes(l))
    assert.deepEqual(missed, ['alice: one', 'alice: two', 'alice: three'], (await lines(bob.tab)).join('\n'))

    if (SHOTS) {
      mkdirSync(SHOTS, { recursive: true })
      await alice.tab.screenshot({ path: `${SHOTS}/rpc-chat-alice.png` })
      await bob.tab.screenshot({ path: `${SHOTS}/rpc-chat-bob.png` })
    }

    // A closed browser leaves the room's presence (after the server's --presence_ttl).
    await bob.context.close()
    await waitForMembers(alice.tab, 'alice')
    assert.deepEqual(errors, [])
}))
