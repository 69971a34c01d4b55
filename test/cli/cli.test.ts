import { execFile } from 'node:child_process'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import { systemClock } from '../../src/platform/clock.ts'
import { EnvSecrets } from '../../src/platform/secrets.ts'
import { FakeReplicate } from '../fakes/replicate-server.ts'
import { GenerationLog } from '../fakes/runpod-shared.ts'
import { makeStudio, waitForEvent } from '../support/studio.ts'
import { tempDir } from '../support/temp.ts'

const TOKEN = 'r8_cli_finish_token_0042'

const run = promisify(execFile)

async function kitsumy(home: string, ...args: string[]): Promise<{ stdout: string; stderr: string; code: number }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['bin/kitsumy.js', ...args], { env: { ...process.env, KITSUMY_HOME: home, OPENAI_API_KEY: '' } })
    return { stdout, stderr, code: 0 }
  } catch (err) {
    const e = err as { stdout: string; stderr: string; code: number }
    return { stdout: e.stdout, stderr: e.stderr, code: e.code }
  }
}

describe('the kitsumy command', () => {
  it('generates an 8-page comic offline with no keys and prints it as JSON', async () => {
    const home = tempDir()
    const res = await kitsumy(home, 'generate', 'A fox detective in rainy Kyiv', '--pages', '8', '--seed', '4', '--json')
    expect(res.code).toBe(0)
    const out = JSON.parse(res.stdout.trim().split('\n').at(-1)!)
    expect(out).toMatchObject({ pages: 8, status: 'done' })
    expect(out.panels).toBeGreaterThanOrEqual(24)
    expect(out.panels).toBeLessThanOrEqual(48)
    expect(typeof out.seconds).toBe('number')
    const list = JSON.parse((await kitsumy(home, 'list', '--json')).stdout)
    expect(list.items.map((c: { id: string }) => c.id)).toEqual([out.comicId])
  })

  it('writes Ukrainian comics, and their PDF carries Cyrillic text', async () => {
    const home = tempDir()
    const res = await kitsumy(home, 'generate', 'Два коти рятують старий трамвай', '--lang', 'uk', '--pages', '2', '--json')
    const { comicId } = JSON.parse(res.stdout.trim().split('\n').at(-1)!)
    const pdf = join(home, 'out.pdf')
    expect((await kitsumy(home, 'export', comicId, '--format', 'pdf', '--out', pdf)).code).toBe(0)
    const { stdout: text } = await run('pdftotext', [pdf, '-'])
    expect(text).toMatch(/[А-Яа-яІіЇїЄєҐґ]{4,}/)
    const { stdout: info } = await run('pdfinfo', [pdf])
    expect(info).toMatch(/Pages:\s+2/)
  })

  it('lists the 20 styles and refuses bad input with a clear message', async () => {
    const home = tempDir()
    const styles = JSON.parse((await kitsumy(home, 'styles', '--json')).stdout)
    expect(styles).toHaveLength(20)
    const bad = await kitsumy(home, 'generate', 'An idea', '--style', 'crayons')
    expect(bad.code).not.toBe(0)
    expect(bad.stderr).toMatch(/crayons/)
    const missing = await kitsumy(home, 'export', 'no-such-comic', '--format', 'pdf', '--out', join(home, 'x.pdf'))
    expect(missing.code).toBe(1)
    expect(missing.stderr).toMatch(/not there any more/i)
  })

  it('finishes a comic a budget stopped, offline and for free', async () => {
    const home = tempDir()
    const replicate = await new FakeReplicate({ clock: systemClock, log: new GenerationLog(), token: TOKEN, predictMs: 30 }).start()
    let comicId: string
    try {
      const studio = makeStudio(home, { secrets: new EnvSecrets({ REPLICATE_API_TOKEN: TOKEN }) })
      studio.library.settings.put('cloud.overrides', { urls: { replicate: replicate.baseUrl }, poll: { jobSeconds: 0.02 } })
      studio.settings.update({ budgets: { comicUsd: 0.05 } })
      studio.start()
      comicId = studio.create({ idea: 'A lighthouse keeper befriends a whale', styleId: 'cinematic-photo', pages: 2, readingOrder: 'ltr', urgent: false, storyEngine: 'offline', seed: 9 }).comicId
      await waitForEvent(studio, 'generation_complete', (e) => e.comicId === comicId)
      expect(studio.comic(comicId).status).toBe('partial')
      await studio.close()
    } finally {
      await replicate.close()
    }
    const res = await kitsumy(home, 'finish', comicId, '--offline', '--json')
    expect(res.code).toBe(0)
    expect(JSON.parse(res.stdout.trim().split('\n').at(-1)!)).toMatchObject({ comicId, status: 'done', missing: 0 })
    const text = await kitsumy(home, 'finish', comicId)
    expect(text.stdout.trim()).toBe('done: 0 panels drawn again, 0 still missing')
  })
})
