// The Durable Streams conformance suite (@durable-streams/server-conformance-tests, run by vitest)
// against the packaged server, for the cases that apply to a read-only server (ds_conformance/
// cases.mjs); writes go through the front of lib/ds_shim.mjs, which publishes them.
// Server flags: --public --broker=memory --ds --ds_poll_interval=2 (broadcasts on the main port).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { env } from './lib/cable.mjs'
import { startShim } from './lib/ds_shim.mjs'
import { APPLICABLE } from './ds_conformance/cases.mjs'

const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

function vitest(args, extraEnv) {
  return new Promise((resolve, reject) => {
    const child = spawn('node_modules/.bin/vitest', args, { stdio: 'inherit', env: { ...process.env, ...extraEnv } })
    child.on('error', reject)
    child.on('close', (code) => resolve(code))
  })
}

test('every conformance case that applies to a read-only JSON server passes', { timeout: 600_000 }, async () => {
  const shim = await startShim({ serverPort: env.port, broadcastUrl: env.broadcastUrl, broadcastKey: env.broadcastKey })
  const report = join(tmpdir(), `ds-conformance-${process.pid}.json`)
  try {
    const code = await vitest(['run', '--root', 'ds_conformance', '--reporter=default', '--reporter=json',
      `--outputFile.json=${report}`, '--testTimeout=30000', '--no-file-parallelism',
      '-t', `^(?:${APPLICABLE.map(escape).join('|')})$`], { CONFORMANCE_TEST_URL: shim.url, LONG_POLL_MS: '5000' })
    const results = new Map()
    for (const file of JSON.parse(await readFile(report, 'utf8')).testResults) {
      for (const t of file.assertionResults) {
        results.set(t.fullName, { status: t.status, failure: (t.failureMessages || []).join('\n') })
      }
    }
    const failed = APPLICABLE.filter((name) => results.get(name)?.status !== 'passed')
    assert.deepEqual(failed.map((name) => `${name}: ${results.get(name)?.status ?? 'not run'} ${results.get(name)?.failure ?? ''}`), [])
    const ran = [...results].filter(([, r]) => r.status === 'passed' || r.status === 'failed').map(([name]) => name)
    assert.deepEqual(ran.sort(), [...APPLICABLE].sort(), 'exactly the applicable cases ran')
    assert.equal(code, 0)
  } finally {
    await shim.close()
    await rm(report, { force: true })
  }
})
