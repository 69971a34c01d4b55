import { beforeEach, describe, expect, it, vi } from 'vitest'
import type { StudioEvent } from '../../src/contract/index.ts'
import type { ClientError } from '../../renderer/client/types.ts'

// The envelope module keeps whether the contract's checks have loaded; each test starts before they have.
let envelope: typeof import('../../renderer/client/envelope.ts')
beforeEach(async () => {
  vi.resetModules()
  envelope = await import('../../renderer/client/envelope.ts')
})

const info = { version: '1.0.0', dataDir: '/data', language: 'en', transport: 'http' }

describe('answers and events before and after the contract checks load', () => {
  it('hands an ok answer over before the checks load, then checks it and reports a bad one', async () => {
    const failures: ClientError[] = []
    envelope.onLateFailure((err) => failures.push(err))
    await expect(envelope.unwrap('app.info', { ok: true, data: info })).resolves.toEqual(info)
    await expect(envelope.unwrap('app.info', { ok: true, data: { version: 3 } })).resolves.toEqual({ version: 3 })
    expect(failures).toEqual([])
    await envelope.loadChecks()
    await Promise.resolve()
    expect(failures.map((f) => [f.code, f.message.startsWith('app.info:')])).toEqual([['bad_response', true]])
  })

  it('checks errors and odd shapes against the contract at once, loading the checks to do so', async () => {
    await expect(envelope.unwrap('app.info', { ok: false, error: { code: 'not_found', message: 'gone', retryable: false } })).rejects.toMatchObject({ code: 'not_found', message: 'gone' })
    await expect(envelope.unwrap('app.info', { ok: false, error: { code: 'made_up', message: 'x', retryable: false } })).rejects.toMatchObject({ code: 'bad_response' })
    await expect(envelope.unwrap('app.info', 'not an envelope')).rejects.toMatchObject({ code: 'bad_response' })
  })

  it('checks every answer as it comes once the checks have loaded', async () => {
    await envelope.loadChecks()
    await expect(envelope.unwrap('app.info', { ok: true, data: { version: 3 } })).rejects.toMatchObject({ code: 'bad_response' })
    await expect(envelope.unwrap('app.info', { ok: true, data: info })).resolves.toEqual(info)
  })

  it('holds events until the checks load, then delivers the valid ones in order', async () => {
    const seen: StudioEvent[] = []
    const first: StudioEvent = { type: 'queue_position', jobId: 'j1', comicId: 'c1', position: 2 }
    const second: StudioEvent = { type: 'generation_progress', comicId: 'c1', current: 1, total: 4 }
    envelope.deliverEvent(first, (e) => seen.push(e))
    envelope.deliverEvent({ type: 'no_such_event' }, (e) => seen.push(e))
    envelope.deliverEvent(second, (e) => seen.push(e))
    expect(seen).toEqual([])
    await envelope.loadChecks()
    await Promise.resolve()
    expect(seen).toEqual([first, second])
    const third: StudioEvent = { type: 'generation_complete', comicId: 'c1', status: 'done', failed: 0 }
    envelope.deliverEvent(third, (e) => seen.push(e))
    expect(seen).toEqual([first, second, third])
  })
})
