import { Command, CommanderError, InvalidArgumentError, Option } from 'commander'
import { fileURLToPath } from 'node:url'
import { STYLE_IDS, type CommandName, type Envelope, type Language } from '../contract/index.ts'
import { createDispatch } from '../api/dispatch.ts'
import { startHttpServer } from '../api/http-server.ts'
import { openStudio } from './open-studio.ts'
import { APP_VERSION } from './version.ts'

const RENDERER_DIR = fileURLToPath(new URL('../../out/renderer', import.meta.url))

function int(value: string): number {
  const n = Number(value)
  if (!Number.isInteger(n)) throw new InvalidArgumentError('must be a whole number')
  return n
}

class CliFailure extends Error {}

function unwrap<T>(result: Envelope<T>): T {
  if (!result.ok) throw new CliFailure(result.error.message)
  return result.data
}

export async function main(argv: string[], out: (line: string) => void = (l) => process.stdout.write(`${l}\n`)): Promise<number> {
  const program = new Command('kitsumy')
    .description('Kitsumy Studio: make comics with AI, from the command line')
    .version(APP_VERSION)
    .addOption(new Option('--lang <lang>', 'language for messages and new comics').choices(['en', 'uk']))
    .exitOverride()
    .configureOutput({ writeOut: (s) => out(s.trimEnd()), writeErr: (s) => process.stderr.write(s) })

  const lang = (): Language | undefined => program.opts().lang

  program.command('generate')
    .description('write and draw a comic into the library')
    .argument('<idea>', 'the story idea')
    .addOption(new Option('--style <id>', 'art style').choices(STYLE_IDS).default('modern-superhero'))
    .option('--pages <n>', 'number of pages (1-24)', int, 4)
    .option('--seed <n>', 'seed for a repeatable comic', int)
    .option('--rtl', 'read right to left (manga)')
    .option('--json', 'print {comicId, pages, panels, seconds} as JSON')
    .action(async (idea: string, o: { style: string; pages: number; seed?: number; rtl?: boolean; json?: boolean }) => {
      const started = performance.now()
      const studio = openStudio({ language: lang() })
      try {
        const dispatch = createDispatch(studio.handlers('http'))
        const call = async <N extends CommandName>(name: N, input: unknown) => unwrap(await dispatch(name, input))
        const done = new Promise<void>((resolve) => {
          studio.events.on((e) => {
            if (e.type === 'generation_complete') resolve()
            if (!o.json && e.type === 'generation_progress') out(`  ${e.current}/${e.total}`)
          })
        })
        const { comicId } = await call('comics.create', {
          idea, styleId: o.style, pages: o.pages, seed: o.seed, readingOrder: o.rtl ? 'rtl' : 'ltr', language: lang(),
        }) as { comicId: string }
        studio.start()
        await done
        const comic = studio.comic(comicId)
        const panels = comic.pages.reduce((n, p) => n + p.panels.length, 0)
        const seconds = +((performance.now() - started) / 1000).toFixed(3)
        if (o.json) out(JSON.stringify({ comicId, title: comic.title, status: comic.status, pages: comic.pages.length, panels, seconds }))
        else out(`${comic.title}\n${comicId} — ${comic.pages.length} pages, ${panels} panels, ${seconds} s (${comic.status})`)
      } finally {
        await studio.close()
      }
    })

  program.command('list')
    .description('list the comics in the library')
    .option('--json', 'print JSON')
    .action(async (o: { json?: boolean }) => {
      const studio = openStudio()
      try {
        const { items, total } = studio.library.comics.list({ query: '', sort: 'updated', trashed: false, offset: 0, limit: 500 })
        if (o.json) out(JSON.stringify({ total, items }))
        else for (const c of items) out(`${c.id}  ${c.status.padEnd(10)} ${String(c.pageCount).padStart(2)}p  ${c.title}`)
      } finally {
        await studio.close()
      }
    })

  program.command('styles')
    .description('list the 20 art styles')
    .option('--json', 'print JSON')
    .action(async (o: { json?: boolean }) => {
      const { STYLES } = await import('../styles/styles.ts')
      if (o.json) out(JSON.stringify(STYLES))
      else for (const s of STYLES) out(`${s.id.padEnd(22)} ${s.family.padEnd(10)} ${s.name}  [${s.model.family}]`)
    })

  program.command('serve')
    .description('serve the studio to a browser on this computer')
    .option('--port <n>', 'port (0 picks a free one)', int, 0)
    .option('--host <host>', 'address to bind; other machines can reach anything but loopback', '127.0.0.1')
    .action(async (o: { port: number; host: string }) => {
      const studio = openStudio({ language: lang() })
      const dispatch = createDispatch(studio.handlers('http'))
      const running = await startHttpServer({ dispatch, events: studio.events, images: studio.library.images, rendererDir: RENDERER_DIR, port: o.port, host: o.host })
      studio.start()
      out(`Kitsumy Studio is running. Open ${running.openUrl}`)
      await new Promise<void>((resolve) => {
        const stop = () => resolve()
        process.once('SIGINT', stop)
        process.once('SIGTERM', stop)
      })
      await running.close()
      await studio.close()
    })

  try {
    await program.parseAsync(argv, { from: 'user' })
    return 0
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode
    if (err instanceof CliFailure) {
      process.stderr.write(`kitsumy: ${err.message}\n`)
      return 1
    }
    throw err
  }
}
