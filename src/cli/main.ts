import { Command, CommanderError, InvalidArgumentError, Option } from 'commander'
import { fileURLToPath } from 'node:url'
import { spawn } from 'node:child_process'
import { resolve } from 'node:path'
import { KitsumyError, STYLE_IDS, type CommandName, type Envelope, type ExportFormat, type Language, type Trim } from '../contract/index.ts'
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

function openInBrowser(url: string): void {
  const [cmd, args] = process.platform === 'win32' ? ['cmd', ['/c', 'start', '""', url]] : [process.platform === 'darwin' ? 'open' : 'xdg-open', [url]]
  const child = spawn(cmd, args, { stdio: 'ignore', detached: true })
  child.on('error', () => process.stderr.write('Could not open a browser; open the address above yourself.\n'))
  child.unref()
}

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
    .addOption(new Option('--engine <engine>', 'who writes the story').choices(['auto', 'offline', 'openai']).default('auto'))
    .option('--json', 'print {comicId, pages, panels, seconds} as JSON')
    .action(async (idea: string, o: { style: string; pages: number; seed?: number; rtl?: boolean; engine: string; json?: boolean }) => {
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
          idea, styleId: o.style, pages: o.pages, seed: o.seed, readingOrder: o.rtl ? 'rtl' : 'ltr', language: lang(), storyEngine: o.engine,
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

  program.command('regenerate')
    .description('draw one panel of a comic again')
    .argument('<comicId>', 'the comic')
    .requiredOption('--panel <n>', 'panel number, counting from 1 across the comic', int)
    .option('--seed <n>', 'a new seed for a different picture', int)
    .option('--json', 'print JSON')
    .action(async (comicId: string, o: { panel: number; seed?: number; json?: boolean }) => {
      const studio = openStudio({ language: lang() })
      try {
        const comic = studio.comic(comicId)
        const panel = comic.pages.flatMap((p) => p.panels)[o.panel - 1]
        if (!panel) throw new CliFailure(`That comic has panels 1 to ${comic.panelCount}.`)
        const dispatch = createDispatch(studio.handlers('http'))
        const done = new Promise<void>((resolve) => studio.events.on((e) => {
          if (e.type === 'panel_updated' && e.panelId === panel.id && (e.status === 'done' || e.status === 'failed')) resolve()
        }))
        unwrap(await dispatch('panels.regenerate', { comicId, panelId: panel.id, seed: o.seed }))
        studio.start()
        await done
        const after = studio.comic(comicId).pages.flatMap((p) => p.panels)[o.panel - 1]
        if (o.json) out(JSON.stringify({ comicId, panelId: after.id, status: after.status, image: after.image, seed: after.seed }))
        else out(`panel ${o.panel}: ${after.status} (${after.image ?? after.error})`)
      } finally {
        await studio.close()
      }
    })

  program.command('export')
    .description('export a comic as PDF, CBZ or PNG pages')
    .argument('<comicId>', 'the comic')
    .addOption(new Option('--format <format>', 'file format').choices(['pdf', 'cbz', 'png']).makeOptionMandatory())
    .requiredOption('--out <path>', 'file to write (a folder for png)')
    .addOption(new Option('--trim <trim>', 'page size').choices(['us-comic', 'a4', 'letter']).default('us-comic'))
    .option('--dpi <n>', 'resolution of raster pages', int)
    .option('--json', 'print JSON')
    .action(async (comicId: string, o: { format: ExportFormat; out: string; trim: Trim; dpi?: number; json?: boolean }) => {
      const studio = openStudio({ language: lang() })
      try {
        studio.events.on((e) => {
          if (!o.json && e.type === 'export_progress') process.stderr.write(`\r  ${e.done}/${e.total}`)
        })
        const result = await studio.export(comicId, o.format, o.trim, o.dpi, resolve(o.out))
        if (!o.json) process.stderr.write('\n')
        if (o.json) out(JSON.stringify(result))
        else for (const f of result.files) out(f)
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
    .option('--open', 'open the studio in the default browser')
    .action(async (o: { port: number; host: string; open?: boolean }) => {
      const studio = openStudio({ language: lang(), sampleOnFirstLaunch: true })
      const dispatch = createDispatch(studio.handlers('http'))
      const running = await startHttpServer({ dispatch, events: studio.events, images: studio.library.images, rendererDir: RENDERER_DIR, port: o.port, host: o.host })
      studio.start()
      out(`Kitsumy Studio is running. Open ${running.openUrl}`)
      if (o.open) openInBrowser(running.openUrl)
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
    if (err instanceof CliFailure || err instanceof KitsumyError) {
      process.stderr.write(`kitsumy: ${err.message}\n`)
      return 1
    }
    throw err
  }
}
