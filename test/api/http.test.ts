import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { request } from 'undici'
import { Comic, type StudioEvent } from '../../src/contract/index.ts'
import type { RunningServer } from '../../src/api/http-server.ts'
import type { Studio } from '../../src/studio/studio.ts'
import { syntheticComic } from '../support/fixtures.ts'
import { makeStudio, serveStudio } from '../support/studio.ts'
import { tempDir } from '../support/temp.ts'

let studio: Studio
let server: RunningServer

afterEach(async () => {
  await server?.close()
  await studio?.close()
})

async function setup(rendererDir?: string) {
  studio = makeStudio(tempDir())
  server = await serveStudio(studio, rendererDir)
  studio.start()
}

async function call(command: string, body: unknown, token: string | null = server.token) {
  const res = await request(`${server.url}/api/${command}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  })
  return { status: res.statusCode, body: (await res.body.json()) as { ok: boolean; data?: any; error?: { code: string; message: string } } }
}

// Reads the SSE stream with undici until `until` says stop.
async function collectEvents(until: (e: StudioEvent) => boolean): Promise<StudioEvent[]> {
  const res = await request(`${server.url}/api/events?token=${server.token}`)
  const events: StudioEvent[] = []
  let buffer = ''
  for await (const chunk of res.body) {
    buffer += chunk.toString()
    let at
    while ((at = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, at)
      buffer = buffer.slice(at + 2)
      for (const line of block.split('\n')) {
        if (!line.startsWith('data: ')) continue
        const e = JSON.parse(line.slice(6)) as StudioEvent
        events.push(e)
        if (until(e)) {
          res.body.destroy()
          return events
        }
      }
    }
  }
  return events
}

describe('the engine over HTTP', () => {
  it('creates a comic offline and streams its progress as server-sent events', async () => {
    await setup()
    const listening = collectEvents((e) => e.type === 'generation_complete')
    await new Promise((r) => setTimeout(r, 50))
    const created = await call('comics.create', { idea: 'A fox detective in rainy Kyiv', styleId: 'classic-noir', pages: 2, seed: 7 })
    expect(created.status).toBe(200)
    const { comicId, jobId } = created.body.data
    const events = await listening
    expect(events.some((e) => e.type === 'story_step' && e.step === 'plot')).toBe(true)
    const progress = events.filter((e) => e.type === 'generation_progress')
    expect(progress.at(-1)).toMatchObject({ current: progress.at(-1)!.total })
    const got = await call('comics.get', { comicId })
    const comic = Comic.parse(got.body.data)
    expect(comic.status).toBe('done')
    expect(comic.pages).toHaveLength(2)
    const panels = comic.pages.flatMap((p) => p.panels)
    expect(panels.every((p) => p.image !== null)).toBe(true)
    const img = await request(`${server.url}/files/${panels[0].image}`, { headers: { authorization: `Bearer ${server.token}` } })
    expect(img.statusCode).toBe(200)
    expect(img.headers['content-type']).toBe('image/svg+xml')
    expect((await img.body.text()).startsWith('<svg')).toBe(true)
    const job = await call('jobs.status', { jobId })
    expect(job.body.data.state).toBe('completed')
    const list = await call('comics.list', {})
    expect(list.body.data.items[0].id).toBe(comicId)
  })

  it('answers bad input with clear envelopes, never a crash, and writes nothing', async () => {
    await setup()
    const cases: [string, unknown, number, string][] = [
      ['comics.destroyEverything', {}, 404, 'unknown_command'],
      ['comics.create', { idea: 42, styleId: 'shonen', pages: 2 }, 400, 'bad_input'],
      ['comics.create', { idea: 'x'.repeat(1_000_000), styleId: 'shonen', pages: 2 }, 400, 'bad_input'],
      ['comics.create', { idea: 'fine idea', styleId: 'crayons', pages: 2 }, 400, 'bad_input'],
      ['comics.get', { comicId: "1' OR '1'='1" }, 400, 'bad_input'],
      ['comics.get', { comicId: 'nope' }, 404, 'not_found'],
      ['comics.create', '{"idea": "unterminated', 400, 'bad_input'],
    ]
    for (const [command, body, status, code] of cases) {
      const res = await call(command, body)
      expect(res.status, command).toBe(status)
      expect(res.body.ok).toBe(false)
      expect(res.body.error?.code).toBe(code)
      expect(res.body.error?.message.length).toBeGreaterThan(5)
    }
    const huge = await call('comics.create', { idea: 'y'.repeat(3_000_000), styleId: 'shonen', pages: 2 })
    expect(huge.status).toBe(413)
    expect(huge.body.error?.code).toBe('bad_input')
    expect((await call('comics.list', {})).body.data.total).toBe(0)
  })

  it('requires the token on every API request and file', async () => {
    await setup()
    expect((await call('comics.list', {}, null)).status).toBe(401)
    expect((await call('comics.list', {}, 'wrong-token')).status).toBe(401)
    expect((await request(`${server.url}/api/events`)).statusCode).toBe(401)
    expect((await request(`${server.url}/files/${'a'.repeat(64)}.svg`)).statusCode).toBe(401)
    const cross = await request(`${server.url}/api/comics.list`, { method: 'POST', headers: { authorization: `Bearer ${server.token}`, origin: 'https://evil.example' }, body: '{}' })
    expect(cross.statusCode).toBe(403)
    expect((await call('comics.list', {})).status).toBe(200)
  })

  it('lets the browser keep the hash-named assets for good and asks it to check the page each time', async () => {
    const renderer = tempDir()
    mkdirSync(join(renderer, 'assets'))
    writeFileSync(join(renderer, 'index.html'), '<!doctype html><title>studio</title>')
    writeFileSync(join(renderer, 'assets', 'boot-Ab12Cd34.js'), 'export {}')
    await setup(renderer)
    const asset = await request(`${server.url}/assets/boot-Ab12Cd34.js`)
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable')
    expect(asset.headers['content-type']).toBe('text/javascript; charset=utf-8')
    expect(await asset.body.text()).toBe('export {}')
    for (const path of ['/', '/index.html', '/no/such/page']) {
      const page = await request(`${server.url}${path}`)
      expect(page.headers['cache-control'], path).toBe('no-cache')
      expect(await page.body.text(), path).toContain('<title>studio</title>')
    }
  })

  it('answers the calls the page names inside the page, only for a reader with the token, and safely', async () => {
    const renderer = tempDir()
    const calls = JSON.stringify([['app.info', {}], ['comics.list', { limit: 5 }]]).replaceAll('"', '&quot;')
    writeFileSync(join(renderer, 'index.html'), `<!doctype html><html><head><meta name="kitsumy-first-calls" content="${calls}"></head><body></body></html>`)
    await setup(renderer)
    const title = '</script><script>alert(1)</script> <!-- & "quoted"'
    studio.library.comics.insert({ ...syntheticComic(1, 4), title })

    const signedIn = await request(`${server.url}/?token=${server.token}`)
    expect(signedIn.headers['cache-control']).toBe('no-store')
    const page = await signedIn.body.text()
    expect(page.match(/<\/script>/g)).toHaveLength(1)
    expect(page).not.toContain('<!--')
    const answers = JSON.parse(/<script type="application\/json" id="kitsumy-first-answers">(.*)<\/script><\/head>/.exec(page)![1]) as [string, unknown, { ok: boolean; data: any }][]
    expect(answers.map(([name, input, envelope]) => [name, input, envelope.ok])).toEqual([['app.info', {}, true], ['comics.list', { limit: 5 }, true]])
    expect(answers[0][2].data.transport).toBe('http')
    expect(answers[1][2].data.items.map((c: { title: string }) => c.title)).toEqual([title])

    const anonymous = await request(server.url)
    expect(anonymous.headers['cache-control']).toBe('no-cache')
    expect(await anonymous.body.text()).not.toContain('kitsumy-first-answers')
  })

  it('prints an open URL that carries the token and sets a cookie for images', async () => {
    await setup()
    expect(server.openUrl).toBe(`${server.url}/?token=${server.token}`)
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    const page = await request(server.openUrl)
    expect(String(page.headers['set-cookie'])).toContain('HttpOnly')
    await page.body.dump()
  })
})
