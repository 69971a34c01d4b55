import { mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import ts from 'typescript'
import { load } from 'js-yaml'
import { describe, expect, it } from 'vitest'
import { ORIGIN, resolveStudioUrl } from '../../electron/protocol.ts'
import { STUDIO_CSP } from '../../src/api/web-policy.ts'
import { ImageStore } from '../../src/library/image-store.ts'
import { fontsDir } from '../../src/pages/font-files.ts'
import { FONT_FACES } from '../../src/pages/fonts.ts'
import { tempDir } from '../support/temp.ts'

// Electron cannot run on this machine, so the shell is checked from its source: parsed with the TypeScript
// compiler, not matched as text, so a comment or a string cannot fake a setting.

function parse(file: string): ts.SourceFile {
  return ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true)
}

function walk(node: ts.Node, visit: (n: ts.Node) => void): void {
  visit(node)
  node.forEachChild((child) => walk(child, visit))
}

function all<T extends ts.Node>(root: ts.Node, test: (n: ts.Node) => n is T): T[] {
  const found: T[] = []
  walk(root, (n) => { if (test(n)) found.push(n) })
  return found
}

// Calls like `a.b.c(...)`, by the text of the callee.
function calls(root: ts.Node, callee: string): ts.CallExpression[] {
  return all(root, ts.isCallExpression).filter((c) => c.expression.getText() === callee)
}

function property(obj: ts.ObjectLiteralExpression, name: string): ts.Expression | null {
  for (const p of obj.properties) if (ts.isPropertyAssignment(p) && p.name.getText() === name) return p.initializer
  return null
}

const main = parse('electron/main.ts')
const preload = parse('electron/preload.ts')

describe('the Electron window', () => {
  const windows = all(main, ts.isNewExpression).filter((n) => n.expression.getText() === 'BrowserWindow')
  const prefs = windows.map((w) => property(w.arguments![0] as ts.ObjectLiteralExpression, 'webPreferences') as ts.ObjectLiteralExpression)

  it('isolates the page: contextIsolation and sandbox on, Node integration off, web security kept', () => {
    expect(windows).toHaveLength(1)
    for (const p of prefs) {
      expect(property(p, 'contextIsolation')?.kind).toBe(ts.SyntaxKind.TrueKeyword)
      expect(property(p, 'sandbox')?.kind).toBe(ts.SyntaxKind.TrueKeyword)
      expect(property(p, 'nodeIntegration')?.kind).toBe(ts.SyntaxKind.FalseKeyword)
      expect(property(p, 'webSecurity')?.kind ?? ts.SyntaxKind.TrueKeyword).toBe(ts.SyntaxKind.TrueKeyword)
      for (const risky of ['nodeIntegrationInWorker', 'nodeIntegrationInSubFrames', 'webviewTag', 'allowRunningInsecureContent', 'experimentalFeatures', 'enableBlinkFeatures']) {
        expect(property(p, risky), risky).toBeNull()
      }
      expect(property(p, 'preload')?.getText()).toContain('preload')
    }
  })

  it('blocks navigation, new windows and webviews', () => {
    const navigate = calls(main, 'win.webContents.on').filter((c) => (c.arguments[0] as ts.StringLiteral).text === 'will-navigate')
    expect(navigate).toHaveLength(1)
    expect(navigate[0].arguments[1].getText()).toMatch(/\(event\) => event\.preventDefault\(\)/)
    const webview = calls(main, 'win.webContents.on').filter((c) => (c.arguments[0] as ts.StringLiteral).text === 'will-attach-webview')
    expect(webview[0]?.arguments[1].getText()).toMatch(/event\.preventDefault\(\)/)

    const [handler] = calls(main, 'win.webContents.setWindowOpenHandler')
    expect(handler).toBeDefined()
    const returns = all(handler.arguments[0], ts.isReturnStatement)
    expect(returns.length).toBeGreaterThan(0)
    for (const r of returns) expect(r.expression?.getText().replace(/\s/g, '')).toBe("{action:'deny'}")
    // Only https links leave the app, and then in the user's browser.
    const external = calls(handler, 'shell.openExternal')
    expect(external).toHaveLength(1)
    expect(handler.getText()).toMatch(/if \(url\.startsWith\('https:\/\/'\)\) void shell\.openExternal\(url\)/)

    const loads = calls(main, 'win.loadURL')
    expect(loads).toHaveLength(1)
    expect(loads[0].arguments[0].getText()).toBe('devUrl ?? `${ORIGIN}/index.html`')
    expect(main.getText()).toMatch(/const devUrl = !app\.isPackaged \? process\.env\.ELECTRON_RENDERER_URL : undefined/)
  })

  it('checks the sender frame of every IPC call before it reaches the studio', () => {
    const handlers = [...calls(main, 'ipcMain.handle'), ...calls(main, 'ipcMain.on'), ...calls(main, 'ipcMain.once'), ...calls(main, 'ipcMain.handleOnce')]
    expect(handlers).toHaveLength(1)
    for (const h of handlers) {
      const body = (h.arguments[1] as ts.ArrowFunction).body as ts.Block
      const first = body.statements[0]
      expect(first.getText()).toMatch(/^if \(!fromOurPage\(event\)\) return fail\('unauthorized'/)
    }
    const check = all(main, ts.isFunctionDeclaration).find((f) => f.name?.text === 'fromOurPage')!
    const text = check.getText()
    expect(text).toContain('event.sender === win?.webContents')
    expect(text).toContain('event.senderFrame === event.sender.mainFrame')
    expect(text).toContain('url.startsWith(`${ORIGIN}/`)')
    // The dev server's URL is trusted only in an unpackaged build.
    expect(text).toMatch(/!app\.isPackaged && url\.startsWith\(process\.env\.ELECTRON_RENDERER_URL/)
  })

  it('serves its custom protocol through one resolver, with no privilege that bypasses CSP', () => {
    const [privileged] = calls(main, 'protocol.registerSchemesAsPrivileged')
    const text = privileged.getText()
    expect(text).not.toMatch(/bypassCSP|corsEnabled|allowServiceWorkers/)
    const [handle] = calls(main, 'protocol.handle')
    expect(calls(handle, 'resolveStudioUrl')).toHaveLength(1)
    expect(handle.getText()).not.toMatch(/net\.fetch|file:|pathToFileURL/)
    expect(calls(main, 'session.defaultSession.setPermissionRequestHandler')[0]?.getText()).toMatch(/callback\(false\)/)
  })

  it('gives the page exactly two doors through the preload bridge, never ipcRenderer itself', () => {
    const exposed = calls(preload, 'contextBridge.exposeInMainWorld')
    expect(exposed).toHaveLength(1)
    expect((exposed[0].arguments[0] as ts.StringLiteral).text).toBe('kitsumy')
    const api = exposed[0].arguments[1] as ts.ObjectLiteralExpression
    expect(api.properties.map((p) => p.name!.getText())).toEqual(['invoke', 'onEvent'])
    expect(property(api, 'invoke')!.getText()).toMatch(/ipcRenderer\.invoke\('kitsumy:invoke', command, input\)/)
    // The listener gets the event's data, not the IpcRendererEvent (whose `sender` is ipcRenderer).
    expect(property(api, 'onEvent')!.getText()).toMatch(/\(_e: IpcRendererEvent, event: unknown\) => listener\(event\)/)
    const passedOn = all(api, ts.isIdentifier).filter((i) => i.text === 'ipcRenderer' && !ts.isPropertyAccessExpression(i.parent))
    expect(passedOn).toEqual([])
  })

  it('keeps electron out of the engine: nothing under src/ imports it', () => {
    const files = (dir: string): string[] => readdirSync(dir).flatMap((f) => {
      const p = join(dir, f)
      return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : []
    })
    const offenders = files('src').filter((f) => /from ['"]electron['"]|require\(['"]electron['"]\)/.test(readFileSync(f, 'utf8')))
    expect(offenders).toEqual([])
  })
})

describe('the kitsumy:// protocol', () => {
  function setup() {
    const root = tempDir('kitsumy-protocol-')
    const renderer = join(root, 'renderer')
    mkdirSync(join(renderer, 'assets'), { recursive: true })
    writeFileSync(join(renderer, 'index.html'), '<!doctype html>')
    writeFileSync(join(renderer, 'assets', 'app.js'), 'ok')
    // A sibling whose name starts with the renderer folder's: a prefix check without a separator lets it through.
    mkdirSync(join(root, 'renderer-old'), { recursive: true })
    writeFileSync(join(root, 'renderer-old', 'leak.txt'), 'secret')
    writeFileSync(join(root, 'library.sqlite'), 'secret')
    const images = new ImageStore(join(root, 'images'))
    const image = images.put(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'), 'image/svg+xml')
    return { root, renderer, images, image }
  }

  it('serves the renderer with a strict CSP, and images by content hash with a no-script CSP', () => {
    const { renderer, images, image } = setup()
    const page = resolveStudioUrl(`${ORIGIN}/index.html`, renderer, images)!
    expect(page.path).toBe(join(renderer, 'index.html'))
    expect(page.headers).toMatchObject({ 'content-type': 'text/html; charset=utf-8', 'content-security-policy': STUDIO_CSP, 'x-content-type-options': 'nosniff' })
    expect(resolveStudioUrl(`${ORIGIN}/`, renderer, images)?.path).toBe(join(renderer, 'index.html'))
    expect(resolveStudioUrl(`${ORIGIN}/assets/app.js`, renderer, images)?.headers['content-type']).toBe('text/javascript; charset=utf-8')
    const img = resolveStudioUrl(`${ORIGIN}/files/${image}`, renderer, images)!
    expect(img.path).toBe(images.path(image))
    expect(img.headers).toMatchObject({ 'content-type': 'image/svg+xml', 'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'" })
    for (const directive of ["default-src 'self'", "script-src 'self'", "object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'", "form-action 'none'"]) {
      expect(STUDIO_CSP).toContain(directive)
    }
    expect(STUDIO_CSP).not.toMatch(/unsafe-eval|\*|https?:/)
    expect(STUDIO_CSP.match(/script-src [^;]*/)![0]).toBe("script-src 'self'")
    // The lettering fonts the page SVGs name, from the shipped fonts folder.
    const font = resolveStudioUrl(`${ORIGIN}/fonts/${FONT_FACES[0].file}`, renderer, images)!
    expect(font.path).toBe(join(fontsDir(), FONT_FACES[0].file))
    expect(font.headers['content-type']).toBe('font/ttf')
  })

  it('refuses everything else: traversal, sibling folders, other hosts and schemes, non-hash image ids', () => {
    const { renderer, images, image } = setup()
    const refused = [
      `${ORIGIN}/../library.sqlite`,
      `${ORIGIN}/..%2flibrary.sqlite`,
      `${ORIGIN}/%2e%2e/library.sqlite`,
      `${ORIGIN}/..%2frenderer-old%2fleak.txt`,
      `${ORIGIN}/assets/..%2f..%2frenderer-old/leak.txt`,
      `${ORIGIN}/..%5clibrary.sqlite`,
      `${ORIGIN}/%2fetc%2fpasswd`,
      `${ORIGIN}/index.html%00.png`,
      `${ORIGIN}/%E0%A4%A`,
      `${ORIGIN}/assets`,
      `${ORIGIN}/nope.html`,
      `${ORIGIN}/files/../library.sqlite`,
      `${ORIGIN}/files/..%2f..%2flibrary.sqlite`,
      `${ORIGIN}/files/${image.toUpperCase()}`,
      `${ORIGIN}/files/${'0'.repeat(64)}.svg`,
      `${ORIGIN}/files/${image.slice(0, 2)}/${image}`,
      `${ORIGIN}/fonts/OFL-bangers.txt`,
      `${ORIGIN}/fonts/..%2flibrary.sqlite`,
      `${ORIGIN}/fonts/../library.sqlite`,
      `${ORIGIN}/fonts/`,
      `kitsumy://evil/index.html`,
      `kitsumy://studio.evil/index.html`,
      `file:///etc/passwd`,
      'not a url',
    ]
    for (const url of refused) {
      const found = resolveStudioUrl(url, renderer, images)
      expect(found, url).toBeNull()
    }
  })
})

describe('production build settings', () => {
  it('flips the Electron fuses for packaged builds', () => {
    const config = load(readFileSync('electron-builder.yml', 'utf8')) as { electronFuses: Record<string, boolean>; asar: boolean }
    expect(config.asar).toBe(true)
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false,
    })
    // Playwright's _electron launches with --inspect: its test runs the unpackaged binary, where fuses are not flipped.
    const e2e = readFileSync('test/electron/electron-app.test.ts', 'utf8')
    expect(e2e).toMatch(/args: \['\.',/)
  })

  it('the studio page declares the same policy as a <meta> too (frame-ancestors only works as a header)', () => {
    const html = readFileSync('renderer/index.html', 'utf8')
    const meta = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)?.[1]
    expect(meta).toBeDefined()
    for (const directive of meta!.split(';').map((d) => d.trim())) expect(STUDIO_CSP).toContain(directive)
  })
})
