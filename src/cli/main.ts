import { Command, CommanderError, InvalidArgumentError, Option } from 'commander'
import { fileURLToPath } from 'node:url'
import { spawn } from 'node:child_process'
import { resolve } from 'node:path'
import { KitsumyError, STYLE_IDS, type CommandName, type CommandOutput, type Envelope, type ExportFormat, type Language, type Trim } from '../contract/index.ts'
import { createI18n, describeError, describeEvent, describeStoredError, isLang, pickLang, type Lang, type Translate } from '../i18n/index.ts'
import { createDispatch } from '../api/dispatch.ts'
import { startHttpServer } from '../api/http-server.ts'
import { openStudio } from './open-studio.ts'
import { APP_VERSION } from './version.ts'

const RENDERER_DIR = fileURLToPath(new URL('../../out/renderer', import.meta.url))


class CliFailure extends Error {}

// The engine's timers are unref'd so they never hold an app open; a one-shot command waiting for its
// comic (a retry's backoff, a lease left by a crashed run) must hold the process up itself until then.
async function staying<T>(work: Promise<T>): Promise<T> {
  const hold = setInterval(() => undefined, 60_000)
  try {
    return await work
  } finally {
    clearInterval(hold)
  }
}

function openInBrowser(url: string, t: Translate): void {
  const [cmd, args] = process.platform === 'win32' ? ['cmd', ['/c', 'start', '""', url]] : [process.platform === 'darwin' ? 'open' : 'xdg-open', [url]]
  const child = spawn(cmd, args, { stdio: 'ignore', detached: true })
  child.on('error', () => process.stderr.write(`${t('cli.serve.noBrowser')}\n`))
  child.unref()
}

function unwrap<T>(result: Envelope<T>): T {
  if (!result.ok) throw new CliFailure(result.error.message)
  return result.data
}

// The language is needed before the help texts are built: `--lang` wins, then the OS locale.
function languageOf(argv: string[], env: NodeJS.ProcessEnv): Lang {
  const at = argv.findIndex((a) => a === '--lang' || a.startsWith('--lang='))
  const value = at < 0 ? null : argv[at].includes('=') ? argv[at].split('=')[1] : argv[at + 1]
  return isLang(value) ? value : pickLang(env.LC_ALL || env.LC_MESSAGES || env.LANG)
}

export async function main(argv: string[], out: (line: string) => void = (l) => process.stdout.write(`${l}\n`)): Promise<number> {
  const language = languageOf(argv, process.env)
  const { t } = createI18n(language)
  const int = (value: string): number => {
    const n = Number(value)
    if (!Number.isInteger(n)) throw new InvalidArgumentError(t('cli.wholeNumber'))
    return n
  }
  const program = new Command('kitsumy')
    .description(t('cli.description'))
    .version(APP_VERSION)
    .addOption(new Option('--lang <lang>', t('cli.lang')).choices(['en', 'uk']))
    .exitOverride()
    .configureOutput({ writeOut: (s) => out(s.trimEnd()), writeErr: (s) => process.stderr.write(s) })

  const lang = (): Language => language

  program.command('generate')
    .description(t('cli.generate.description'))
    .argument('<idea>', t('cli.generate.idea'))
    .addOption(new Option('--style <id>', t('cli.generate.style')).choices(STYLE_IDS).default('modern-superhero'))
    .option('--pages <n>', t('cli.generate.pages'), int, 4)
    .option('--seed <n>', t('cli.generate.seed'), int)
    .option('--rtl', t('cli.generate.rtl'))
    .addOption(new Option('--engine <engine>', t('cli.generate.engine')).choices(['auto', 'offline', 'openai']).default('auto'))
    .option('--json', t('cli.generate.json'))
    .action(async (idea: string, o: { style: string; pages: number; seed?: number; rtl?: boolean; engine: string; json?: boolean }) => {
      const started = performance.now()
      const studio = openStudio({ language: lang() })
      try {
        const dispatch = createDispatch(studio.handlers('http'))
        const call = async <N extends CommandName>(name: N, input: unknown) => unwrap(await dispatch(name, input))
        const done = new Promise<void>((resolve) => {
          studio.events.on((e) => {
            if (e.type === 'generation_complete') resolve()
            if (o.json) return
            const line = describeEvent(t, e)
            if (line && e.type !== 'cost_update') out(`  ${line}`)
          })
        })
        const { comicId } = await call('comics.create', {
          idea, styleId: o.style, pages: o.pages, seed: o.seed, readingOrder: o.rtl ? 'rtl' : 'ltr', language: lang(), storyEngine: o.engine,
        }) as { comicId: string }
        studio.start()
        await staying(done)
        const comic = studio.comic(comicId)
        const panels = comic.pages.reduce((n, p) => n + p.panels.length, 0)
        const seconds = +((performance.now() - started) / 1000).toFixed(3)
        if (o.json) out(JSON.stringify({ comicId, title: comic.title, status: comic.status, pages: comic.pages.length, panels, seconds }))
        else {
          out(comic.title)
          out(t('cli.generate.made', { id: comicId, pages: t('cli.pages', { count: comic.pages.length }), panels: t('cli.panels', { count: panels }), seconds, status: t(`cli.status.${comic.status}`) }))
        }
      } finally {
        await studio.close()
      }
    })

  program.command('regenerate')
    .description(t('cli.regenerate.description'))
    .argument('<comicId>', t('cli.regenerate.comic'))
    .requiredOption('--panel <n>', t('cli.regenerate.panel'), int)
    .option('--seed <n>', t('cli.regenerate.seed'), int)
    .option('--json', t('cli.json'))
    .action(async (comicId: string, o: { panel: number; seed?: number; json?: boolean }) => {
      const studio = openStudio({ language: lang() })
      try {
        const comic = studio.comic(comicId)
        const panel = comic.pages.flatMap((p) => p.panels)[o.panel - 1]
        if (!panel) throw new CliFailure(t('cli.regenerate.panelRange', { count: comic.panelCount }))
        const dispatch = createDispatch(studio.handlers('http'))
        const done = new Promise<void>((resolve) => studio.events.on((e) => {
          if (e.type === 'panel_updated' && e.panelId === panel.id && (e.status === 'done' || e.status === 'failed')) resolve()
        }))
        unwrap(await dispatch('panels.regenerate', { comicId, panelId: panel.id, seed: o.seed }))
        studio.start()
        await staying(done)
        const after = studio.comic(comicId).pages.flatMap((p) => p.panels)[o.panel - 1]
        if (o.json) out(JSON.stringify({ comicId, panelId: after.id, status: after.status, image: after.image, seed: after.seed }))
        else out(t('cli.regenerate.result', { panel: o.panel, status: t(`status.${after.status}`), detail: after.image ?? (after.error ? describeStoredError(t, after.error) : '') }))
      } finally {
        await studio.close()
      }
    })

  program.command('finish')
    .description(t('cli.finish.description'))
    .argument('<comicId>', t('cli.regenerate.comic'))
    .option('--offline', t('cli.finish.offline'))
    .option('--json', t('cli.json'))
    .action(async (comicId: string, o: { offline?: boolean; json?: boolean }) => {
      const studio = openStudio({ language: lang() })
      try {
        const dispatch = createDispatch(studio.handlers('http'))
        const finished = new Promise<void>((resolve) => studio.events.on((e) => {
          if (e.type === 'generation_complete' && e.comicId === comicId) resolve()
        }))
        const { panels } = unwrap(await dispatch('comics.retryFailed', { comicId, offline: o.offline ?? false })) as CommandOutput<'comics.retryFailed'>
        if (panels > 0) {
          studio.start()
          await staying(finished)
        }
        const after = studio.comic(comicId)
        const missing = after.pages.flatMap((p) => p.panels).filter((p) => p.status !== 'done').length
        if (o.json) out(JSON.stringify({ comicId, status: after.status, drawn: panels - missing, missing }))
        else out(t('cli.finish.result', { status: t(`cli.status.${after.status}`), panels: t('cli.panels', { count: panels }), missing }))
      } finally {
        await studio.close()
      }
    })

  program.command('export')
    .description(t('cli.export.description'))
    .argument('<comicId>', t('cli.regenerate.comic'))
    .addOption(new Option('--format <format>', t('cli.export.format')).choices(['pdf', 'cbz', 'png']).makeOptionMandatory())
    .requiredOption('--out <path>', t('cli.export.out'))
    .addOption(new Option('--trim <trim>', t('cli.export.trim')).choices(['us-comic', 'a4', 'letter']).default('us-comic'))
    .option('--dpi <n>', t('cli.export.dpi'), int)
    .option('--json', t('cli.json'))
    .action(async (comicId: string, o: { format: ExportFormat; out: string; trim: Trim; dpi?: number; json?: boolean }) => {
      const studio = openStudio({ language: lang() })
      try {
        studio.events.on((e) => {
          if (!o.json && e.type === 'export_progress') process.stderr.write(`\r  ${describeEvent(t, e)}`)
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
    .description(t('cli.list.description'))
    .option('--json', t('cli.json'))
    .action(async (o: { json?: boolean }) => {
      const studio = openStudio()
      try {
        const { items, total } = studio.library.comics.list({ query: '', sort: 'updated', trashed: false, offset: 0, limit: 500 })
        if (o.json) out(JSON.stringify({ total, items }))
        else for (const c of items) out(`${c.id}  ${t(`cli.status.${c.status}`).padEnd(12)} ${t('cli.pages', { count: c.pageCount }).padEnd(12)} ${c.title}`)
      } finally {
        await studio.close()
      }
    })

  program.command('styles')
    .description(t('cli.styles.description'))
    .option('--json', t('cli.json'))
    .action(async (o: { json?: boolean }) => {
      const { STYLES } = await import('../styles/styles.ts')
      if (o.json) out(JSON.stringify(STYLES))
      else for (const s of STYLES) out(`${s.id.padEnd(22)} ${s.family.padEnd(10)} ${s.name}  [${s.model.family}]`)
    })

  program.command('serve')
    .description(t('cli.serve.description'))
    .option('--port <n>', t('cli.serve.port'), int, 0)
    .option('--host <host>', t('cli.serve.host'), '127.0.0.1')
    .option('--open', t('cli.serve.open'))
    .action(async (o: { port: number; host: string; open?: boolean }) => {
      const studio = openStudio({ language: lang(), sampleOnFirstLaunch: true })
      const dispatch = createDispatch(studio.handlers('http'))
      // The first call of each kind compiles its statements and schemas; pay that before the page asks.
      for (const command of ['app.info', 'styles.list', 'settings.get', 'comics.list'] as const) await dispatch(command, {})
      const running = await startHttpServer({ dispatch, events: studio.events, images: studio.library.images, rendererDir: RENDERER_DIR, port: o.port, host: o.host })
      studio.start()
      out(t('cli.serve.running', { url: running.openUrl }))
      if (o.open) openInBrowser(running.openUrl, t)
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
    if (err instanceof KitsumyError) {
      process.stderr.write(`kitsumy: ${describeError(t, err.code, err.message)}\n`)
      return 1
    }
    throw err
  }
}
