// examples/pusher-chat in real Chromium (puppeteer-core, headless): two users, each in a browser
// context of their own (their own session cookie), see each other join, type, talk and leave.
// Env: DEMO_URL (the example's app.mjs, e.g. http://127.0.0.1:3000), CHROMIUM (/usr/bin/chromium).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { WAIT, lines, noBrowser, typingShowsOnTheOtherSide, waitForLine, withBrowser } from './lib/browser.mjs'

const DEMO_URL = process.env.DEMO_URL

const members = (tab) => tab.$$eval('#members li', (lis) => lis.map((li) => li.textContent))
const waitForMembers = (tab, expected) => tab.waitForFunction(
  (e) => [...document.querySelectorAll('#members li')].map((li) => li.textContent).join(',') === e, WAIT, expected.join(','))

test('two browsers: presence, whispers, messages to the others, receipts, departures', { skip: noBrowser }, () => withBrowser(async (browserOpen, errors) => {
    const open = (user) => browserOpen(user, `${DEMO_URL}/?user=${user}&room=lobby`,
      (tab) => tab.waitForFunction(() => document.querySelector('#status').textContent === 'connected', WAIT))
    const alice = await open('alice')
    await waitForLine(alice.tab, 'you joined #lobby as alice')
    await waitForMembers(alice.tab, ['alice'])

    const bob = await open('bob')
    await waitForMembers(bob.tab, ['alice', 'bob'])
    await waitForMembers(alice.tab, ['alice', 'bob'])
    await waitForLine(alice.tab, 'bob joined')

    // Typing sends a whisper (client-typing) that only the other member shows.
    assert.equal(await typingShowsOnTheOtherSide(alice.tab, bob.tab, 'alice', 'hello bob'), '')

    // Sent through the app (pusher SDK trigger, toOthers): bob gets it once, alice shows her own
    // line once, with the receipt from her private channel.
    await alice.tab.keyboard.press('Enter')
    await waitForLine(bob.tab, 'alice: hello bob')
    await waitForLine(alice.tab, 'alice: hello bob ✓')
    await bob.tab.type('#text', 'hi alice')
    await bob.tab.keyboard.press('Enter')
    await waitForLine(alice.tab, 'bob: hi alice')
    await waitForLine(bob.tab, 'bob: hi alice ✓')
    assert.equal((await lines(alice.tab)).filter((l) => l.includes('hello bob')).length, 1, (await lines(alice.tab)).join('\n'))
    assert.equal((await lines(bob.tab)).filter((l) => l.includes('hello bob')).length, 1, (await lines(bob.tab)).join('\n'))

    // Closing bob's browser: alice sees him leave.
    await bob.context.close()
    await waitForLine(alice.tab, 'bob left')
    assert.deepEqual(await members(alice.tab), ['alice'])
    assert.deepEqual(errors, [])
}))
