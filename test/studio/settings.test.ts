import { mkdirSync, writeFileSync, existsSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, describe, expect, it } from 'vitest'
import { createDispatch } from '../../src/api/dispatch.ts'
import type { Studio } from '../../src/studio/studio.ts'
import { makeStudio } from '../support/studio.ts'
import { tempDir } from '../support/temp.ts'

const open: Studio[] = []
afterEach(async () => {
  for (const s of open.splice(0)) await s.close()
})

describe('settings and keys', () => {
  it('keeps preferences, refuses servers that are not web addresses, and never shows a key', async () => {
    const studio = makeStudio(tempDir())
    open.push(studio)
    const dispatch = createDispatch(studio.handlers('http'))
    const bad = await dispatch('settings.update', { patch: { openaiBaseUrl: 'file:///etc/passwd' } })
    expect(bad).toMatchObject({ ok: false, error: { code: 'bad_input' } })
    const badComfy = await dispatch('settings.update', { patch: { providers: { localComfyUrl: 'javascript:alert(1)' } } })
    expect(badComfy.ok).toBe(false)
    const good = await dispatch('settings.update', { patch: { openaiBaseUrl: 'http://127.0.0.1:1234/v1', pods: { idleMinutes: 7 }, budgets: { monthUsd: 20 } } })
    expect(good).toMatchObject({ ok: true, data: { openaiBaseUrl: 'http://127.0.0.1:1234/v1', pods: { idleMinutes: 7, enabled: false }, budgets: { monthUsd: 20, dayUsd: null } } })

    const key = 'sk-live-do-not-leak-1234567890'
    const set = await dispatch('secrets.set', { name: 'openai', value: key })
    expect(set).toMatchObject({ ok: true, data: { name: 'openai', set: true, last4: '7890' } })
    const view = await dispatch('settings.get', {})
    expect(JSON.stringify(view)).not.toContain(key)
    expect(JSON.stringify(view)).toContain('7890')
    const cleared = await dispatch('secrets.clear', { name: 'openai' })
    expect(cleared).toMatchObject({ ok: true, data: { set: false, last4: null } })
  })

  it('a patch changes only what it names, and preferences stored by an older version keep their values', async () => {
    const home = tempDir()
    let studio = makeStudio(home)
    open.push(studio)
    let dispatch = createDispatch(studio.handlers('http'))
    const set = await dispatch('settings.update', { patch: { openaiModel: 'my-local-model', budgets: { comicUsd: 0.5 }, pods: { urgentLatePercent: 0 } } })
    expect(set).toMatchObject({ ok: true, data: { openaiModel: 'my-local-model', budgets: { comicUsd: 0.5 }, pods: { urgentLatePercent: 0 } } })
    // Before, any patch reset the story model and the per-comic budget to their defaults.
    const other = await dispatch('settings.update', { patch: { budgets: { dayUsd: 3 }, pods: { idleMinutes: 5 } } })
    expect(other).toMatchObject({ ok: true, data: { openaiModel: 'my-local-model', budgets: { comicUsd: 0.5, dayUsd: 3 }, pods: { urgentLatePercent: 0, idleMinutes: 5 } } })
    const late = await dispatch('settings.update', { patch: { pods: { urgentLatePercent: 6 } } })
    expect(late).toMatchObject({ ok: false, error: { code: 'bad_input' } })
    await studio.close()
    open.pop()

    // Preferences written before the late allowance existed: kept, and the new one starts at its default.
    const db = new Database(join(home, 'library.sqlite'))
    const row = db.prepare("SELECT value FROM settings WHERE key = 'prefs'").get() as { value: string }
    const stored = JSON.parse(row.value)
    delete stored.pods.urgentLatePercent
    delete stored.openaiModel
    db.prepare("UPDATE settings SET value = ? WHERE key = 'prefs'").run(JSON.stringify(stored))
    db.close()
    studio = makeStudio(home)
    open.push(studio)
    dispatch = createDispatch(studio.handlers('http'))
    const view = await dispatch('settings.get', {})
    expect(view).toMatchObject({ ok: true, data: { openaiModel: 'gpt-4.1-mini', budgets: { comicUsd: 0.5, dayUsd: 3 }, pods: { urgentLatePercent: 4, idleMinutes: 5 } } })
  })

  it('sweeps exports a killed process left half-written', async () => {
    const home = tempDir()
    mkdirSync(join(home, 'exports'), { recursive: true })
    writeFileSync(join(home, 'exports', 'comic.pdf.part'), 'half')
    writeFileSync(join(home, 'exports', 'done.pdf'), 'whole')
    const studio = makeStudio(home)
    open.push(studio)
    studio.start()
    expect(existsSync(join(home, 'exports', 'comic.pdf.part'))).toBe(false)
    expect(existsSync(join(home, 'exports', 'done.pdf'))).toBe(true)
  })
})
