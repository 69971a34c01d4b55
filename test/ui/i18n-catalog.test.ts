import { readdirSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import ts from 'typescript'
import { describe, expect, it } from 'vitest'
import { catalogs, createI18n, describeEvent, LANGUAGES, type Lang } from '../../src/i18n/index.ts'

const ROOT = join(import.meta.dirname, '..', '..')
const PLURAL = /_(zero|one|two|few|many|other)$/
// Props whose text a person reads or hears.
const TEXT_PROPS = new Set(['placeholder', 'title', 'aria-label', 'aria-description', 'aria-placeholder', 'aria-valuetext', 'aria-roledescription', 'alt', 'label'])

function flatten(obj: object, prefix = ''): Map<string, string> {
  const out = new Map<string, string>()
  for (const [k, v] of Object.entries(obj)) {
    const key = prefix ? `${prefix}.${k}` : k
    if (typeof v === 'string') out.set(key, v)
    else for (const [kk, vv] of flatten(v as object, key)) out.set(kk, vv)
  }
  return out
}

const flat = Object.fromEntries(LANGUAGES.map((l) => [l, flatten(catalogs[l])])) as Record<Lang, Map<string, string>>

function bases(lang: Lang): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>()
  for (const key of flat[lang].keys()) {
    const m = PLURAL.exec(key)
    const base = m ? key.slice(0, -m[0].length) : key
    const set = out.get(base) ?? new Set<string>()
    if (m) set.add(m[1])
    out.set(base, set)
  }
  return out
}

function vars(text: string): string[] {
  return [...text.matchAll(/\{\{\s*([\w]+)/g)].map((m) => m[1]).sort()
}

function files(dir: string, ext: RegExp): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name)
    if (e.isDirectory()) return files(p, ext)
    return ext.test(e.name) ? [p] : []
  })
}

const hasWords = (s: string) => /\p{L}/u.test(s) && !/^(https?:\/\/|#|data:)/.test(s.trim())

// JSX text, and string props people read, that carry letters instead of coming from the catalog.
function literalsIn(name: string, text: string): string[] {
  const src = ts.createSourceFile(name, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TSX)
  const found: string[] = []
  const where = (n: ts.Node) => `${name}:${src.getLineAndCharacterOfPosition(n.getStart()).line + 1}`
  const visit = (node: ts.Node): void => {
    if (ts.isJsxText(node) && hasWords(node.text)) found.push(`${where(node)} text "${node.text.trim()}"`)
    if (ts.isJsxAttribute(node) && TEXT_PROPS.has(node.name.getText(src)) && node.initializer) {
      const init = ts.isJsxExpression(node.initializer) ? node.initializer.expression : node.initializer
      if (init && (ts.isStringLiteral(init) || ts.isNoSubstitutionTemplateLiteral(init)) && hasWords(init.text)) found.push(`${where(node)} ${node.name.getText(src)}="${init.text}"`)
      if (init && ts.isTemplateExpression(init)) {
        const parts = [init.head.text, ...init.templateSpans.map((s) => s.literal.text)].join(' ')
        if (hasWords(parts)) found.push(`${where(node)} ${node.name.getText(src)}=\`${parts}\``)
      }
    }
    if (ts.isJsxExpression(node) && node.expression && ts.isStringLiteral(node.expression) && ts.isJsxElement(node.parent) && hasWords(node.expression.text)) {
      found.push(`${where(node)} {"${node.expression.text}"}`)
    }
    ts.forEachChild(node, visit)
  }
  visit(src)
  return found
}

describe('i18n catalogs', () => {
  const en = bases('en')
  const uk = bases('uk')

  it('has every key in both languages', () => {
    expect([...uk.keys()].filter((k) => !en.has(k))).toEqual([])
    expect([...en.keys()].filter((k) => !uk.has(k))).toEqual([])
  })

  it('gives every plural key all the forms its language needs', () => {
    for (const lang of LANGUAGES) {
      const needed = new Intl.PluralRules(lang).resolvedOptions().pluralCategories
      for (const [base, forms] of bases(lang)) {
        const other = lang === 'en' ? uk.get(base) : en.get(base)
        if (forms.size === 0 && (other?.size ?? 0) === 0) continue
        expect([...needed].filter((f) => !forms.has(f)), `${lang}: ${base}`).toEqual([])
      }
    }
  })

  it('uses the same placeholders in both languages', () => {
    for (const [base] of en) {
      const pick = (lang: Lang) => [...flat[lang]].filter(([k]) => k === base || k.replace(PLURAL, '') === base).map(([, v]) => v)
      const a = new Set(pick('en').flatMap(vars))
      const b = new Set(pick('uk').flatMap(vars))
      expect([...b].sort(), base).toEqual([...a].sort())
    }
  })

  it('counts in Ukrainian with the right plural forms', () => {
    const { t } = createI18n('uk')
    expect(t('costs.images', { count: 1 })).toBe('1 зображення')
    expect(t('costs.images', { count: 2 })).toBe('2 зображення')
    expect(t('costs.images', { count: 5 })).toBe('5 зображень')
    expect(t('library.count', { count: 21 })).toBe('21 комікс')
    expect(t('library.count', { count: 3 })).toBe('3 комікси')
    expect(t('library.count', { count: 11 })).toBe('11 коміксів')
    expect(createI18n('en').t('library.count', { count: 1 })).toBe('1 comic')
  })

  it('words progress events for the studio and the CLI alike', () => {
    const uk = createI18n('uk').t
    const en = createI18n('en').t
    expect(describeEvent(uk, { type: 'story_step', comicId: 'c1', step: 'plot', status: 'started' })).toBe('Створюю сюжет…')
    expect(describeEvent(uk, { type: 'story_step', comicId: 'c1', step: 'dialogue', status: 'started' })).toBe('Пишу діалоги…')
    expect(describeEvent(uk, { type: 'generation_progress', comicId: 'c1', current: 1, total: 5 })).toBe('Генерую зображення 1/5…')
    expect(describeEvent(uk, { type: 'pod_booting', podId: 'p', etaSeconds: 230 })).toBe('Запускаємо сервер… (~4 хв)')
    expect(describeEvent(en, { type: 'generation_progress', comicId: 'c1', current: 3, total: 40 })).toBe('Generating image 3/40…')
    expect(describeEvent(en, { type: 'fallback_activated', from: 'pod', to: 'serverless', reason: 'preempted' })).toBe('Switched from Rented GPU server to RunPod serverless')
    expect(describeEvent(en, { type: 'panel_updated', comicId: 'c1', panelId: 'p1', status: 'done', image: null })).toBeNull()
  })
})

describe('renderer strings', () => {
  const sources = files(join(ROOT, 'renderer'), /\.tsx?$/)
  const en = bases('en')
  const enPrefixes = new Set([...en.keys()].flatMap((k) => k.split('.').slice(0, -1).map((_, i, a) => a.slice(0, i + 1).join('.'))))

  it('hard-codes no words a person would read', () => {
    const found = sources.filter((f) => f.endsWith('.tsx')).flatMap((file) => literalsIn(relative(ROOT, file), readFileSync(file, 'utf8')))
    expect(found).toEqual([])
  })

  it('would notice a hard-coded word (the scan itself works)', () => {
    const sample = `export const A = () => <div title="Hello" aria-label={'Close'} placeholder={\`Type \${x}\`}>Words<b>{"More"}</b>{t('ok')}<i>{n} · {m}</i></div>`
    expect(literalsIn('sample.tsx', sample)).toEqual([
      'sample.tsx:1 title="Hello"',
      'sample.tsx:1 aria-label="Close"',
      'sample.tsx:1 placeholder=`Type  `',
      'sample.tsx:1 text "Words"',
      'sample.tsx:1 {"More"}',
    ])
  })

  it('only asks for keys the catalog has', () => {
    const missing: string[] = []
    for (const file of [...sources, ...files(join(ROOT, 'src', 'i18n'), /\.ts$/)]) {
      const text = readFileSync(file, 'utf8')
      for (const m of text.matchAll(/\bt\(\s*'([^']+)'/g)) if (!en.has(m[1])) missing.push(`${relative(ROOT, file)}: ${m[1]}`)
      for (const m of text.matchAll(/\bt\(\s*`([^`$]+)\$\{/g)) {
        const prefix = m[1].replace(/\.$/, '')
        if (!enPrefixes.has(prefix)) missing.push(`${relative(ROOT, file)}: ${m[1]}…`)
      }
    }
    expect(missing).toEqual([])
  })
})

// The CLI speaks to people through out(), stderr, commander's help texts and its errors: none of them
// may carry a literal sentence.
function cliLiteralsIn(name: string, text: string): string[] {
  const src = ts.createSourceFile(name, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS)
  const found: string[] = []
  const SPEAKERS = new Set(['out', 'write', 'description', 'option', 'requiredOption', 'argument', 'Option', 'CliFailure', 'InvalidArgumentError'])
  const visit = (node: ts.Node): void => {
    if ((ts.isCallExpression(node) || ts.isNewExpression(node)) && node.arguments) {
      const callee = ts.isPropertyAccessExpression(node.expression) ? node.expression.name.getText(src) : node.expression.getText(src)
      const spoken = SPEAKERS.has(callee) ? [...node.arguments].filter((a, i) => !(callee === 'option' || callee === 'requiredOption' || callee === 'argument' || callee === 'Option') || i === 1) : []
      for (const arg of spoken) {
        const words = ts.isStringLiteral(arg) || ts.isNoSubstitutionTemplateLiteral(arg) ? arg.text
          : ts.isTemplateExpression(arg) ? [arg.head.text, ...arg.templateSpans.map((s) => s.literal.text)].join(' ') : ''
        if (/\p{L}{2,}/u.test(words.replace(/kitsumy:/g, ''))) found.push(`${name}:${src.getLineAndCharacterOfPosition(arg.getStart()).line + 1} "${words}"`)
      }
    }
    ts.forEachChild(node, visit)
  }
  visit(src)
  return found
}

describe('CLI strings', () => {
  it('hard-codes no words a person would read', () => {
    const found = files(join(ROOT, 'src', 'cli'), /\.ts$/).flatMap((file) => cliLiteralsIn(relative(ROOT, file), readFileSync(file, 'utf8')))
    expect(found).toEqual([])
  })

  it('would notice a hard-coded word (the scan itself works)', () => {
    expect(cliLiteralsIn('x.ts', `out(\`Opened \${url}\`); program.option('--x', 'a flag'); out(t('cli.ok'))`)).toEqual(['x.ts:1 "Opened  "', 'x.ts:1 "a flag"'])
  })

  it('only asks for keys the catalog has', () => {
    const en = bases('en')
    const missing = files(join(ROOT, 'src', 'cli'), /\.ts$/).flatMap((file) =>
      [...readFileSync(file, 'utf8').matchAll(/\bt\(\s*'([^']+)'/g)].filter((m) => !en.has(m[1])).map((m) => `${relative(ROOT, file)}: ${m[1]}`))
    expect(missing).toEqual([])
  })
})
