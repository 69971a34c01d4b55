import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import type { ImageEngine } from '../src/art/engine.ts'
import { OfflineArtist } from '../src/art/offline-artist.ts'
import { pathsFor } from '../src/platform/paths.ts'
import { EnvSecrets } from '../src/platform/secrets.ts'
import { Studio } from '../src/studio/studio.ts'
import { startFakeOpenAI } from '../test/fakes/openai-server.ts'

const IDEA = 'A fox detective in rainy Kyiv'
const PAGES = 8

// Counts the images actually drawn, so a second run shows what the cache saved.
class CountingArtist implements ImageEngine {
  readonly id = 'offline' as const
  drawn = 0
  private readonly inner = new OfflineArtist()
  generate(...args: Parameters<ImageEngine['generate']>) {
    this.drawn++
    return this.inner.generate(...args)
  }
}

async function makeComic(studio: Studio, storyEngine: 'offline' | 'openai'): Promise<{ seconds: number; panels: number }> {
  const started = performance.now()
  const done = new Promise<string>((resolve) => studio.events.on((e) => { if (e.type === 'generation_complete') resolve(e.status) }))
  const { comicId } = studio.create({ idea: IDEA, styleId: 'classic-noir', pages: PAGES, readingOrder: 'ltr', urgent: false, seed: 42, storyEngine })
  const status = await done
  if (status !== 'done') throw new Error(`comic ended ${status}`)
  const comic = studio.comic(comicId)
  return { seconds: (performance.now() - started) / 1000, panels: comic.pages.reduce((n, p) => n + p.panels.length, 0) }
}

function open(dir: string, env: NodeJS.ProcessEnv, artist: ImageEngine): Studio {
  const studio = new Studio({ paths: pathsFor(dir), secrets: new EnvSecrets(env), version: 'bench', engines: { image: artist } })
  studio.start()
  return studio
}

const offlineDir = mkdtempSync(join(tmpdir(), 'kitsumy-bench-gen-'))
const offline = open(offlineDir, {}, new OfflineArtist())
const first = await makeComic(offline, 'offline')
await offline.close()
console.log(`offline: ${PAGES} pages, ${first.panels} panels in ${first.seconds.toFixed(3)} s`)

const fake = await startFakeOpenAI({ latencyMs: 0 })
const llmDir = mkdtempSync(join(tmpdir(), 'kitsumy-bench-gen-'))
const artist = new CountingArtist()
const llm = open(llmDir, { OPENAI_API_KEY: 'sk-bench-0000' }, artist)
llm.settings.update({ openaiBaseUrl: `${fake.url}/v1` })
const viaFake = await makeComic(llm, 'openai')
const requestsFirst = fake.requests.length
const drawnFirst = artist.drawn
const again = await makeComic(llm, 'openai')
const newRequests = fake.requests.length - requestsFirst
const newImages = artist.drawn - drawnFirst
await llm.close()
await fake.close()
const calls = requestsFirst + drawnFirst
const hitRate = 1 - (newRequests + newImages) / calls
console.log(`fake OpenAI: ${viaFake.panels} panels in ${viaFake.seconds.toFixed(3)} s (${requestsFirst} LLM calls, ${drawnFirst} images); second identical run: ${again.seconds.toFixed(3)} s, ${newRequests} new LLM calls, ${newImages} new images`)
rmSync(offlineDir, { recursive: true, force: true })
rmSync(llmDir, { recursive: true, force: true })
console.log(JSON.stringify({ bench: 'generate', offline_s: +first.seconds.toFixed(3), openai_fake_s: +viaFake.seconds.toFixed(3), cache_hit_rate: +hitRate.toFixed(3) }))
