import { join } from 'node:path'
import { readFileSync } from 'node:fs'
import { app, BrowserWindow, ipcMain, protocol, session, shell, type IpcMainInvokeEvent } from 'electron'
import { fileURLToPath } from 'node:url'
import { createDispatch } from '../src/api/dispatch.ts'
import { fail } from '../src/contract/index.ts'
import { pathsFor } from '../src/platform/paths.ts'
import { Studio } from '../src/studio/studio.ts'
import { SafeStorageSecrets } from './safe-storage-secrets.ts'
import { buildMenu } from './menu.ts'
import { restoreWindowState, trackWindowState } from './window-state.ts'
import { ORIGIN, SCHEME, resolveStudioUrl } from './protocol.ts'

const HERE = fileURLToPath(new URL('.', import.meta.url))
const RENDERER_DIR = join(HERE, '../renderer')

protocol.registerSchemesAsPrivileged([{ scheme: SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }])

if (!app.requestSingleInstanceLock()) app.exit(0)

const dataDir = process.env.KITSUMY_HOME ?? app.getPath('userData')
// Packaged, the fonts are an extra resource beside the asar (resvg and pdfkit read them from disk).
if (app.isPackaged) process.env.KITSUMY_FONTS_DIR ??= join(process.resourcesPath, 'fonts')
let studio: Studio | null = null
let win: BrowserWindow | null = null

function fromOurPage(event: IpcMainInvokeEvent): boolean {
  const url = event.senderFrame?.url ?? ''
  return event.sender === win?.webContents && event.senderFrame === event.sender.mainFrame && (url.startsWith(`${ORIGIN}/`) || (!app.isPackaged && url.startsWith(process.env.ELECTRON_RENDERER_URL ?? '\0')))
}

function serveProtocol(s: Studio): void {
  protocol.handle(SCHEME, (request) => {
    // Only the library's own images by content hash and the renderer's files, each with its CSP; nothing else on disk.
    const found = resolveStudioUrl(request.url, RENDERER_DIR, s.library.images)
    if (!found) return new Response('not found', { status: 404 })
    return new Response(readFileSync(found.path), { headers: found.headers })
  })
  // The studio needs no camera, microphone, notifications or other browser permission.
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false))
}

async function createWindow(s: Studio): Promise<void> {
  const state = restoreWindowState(dataDir)
  win = new BrowserWindow({
    ...state.bounds,
    minWidth: 960,
    minHeight: 640,
    show: false,
    backgroundColor: '#15161c',
    title: 'Kitsumy Studio',
    webPreferences: {
      preload: join(HERE, '../preload/index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
    },
  })
  if (state.maximized) win.maximize()
  trackWindowState(win, dataDir)
  win.once('ready-to-show', () => win?.show())
  win.webContents.setWindowOpenHandler(({ url }) => {
    if (url.startsWith('https://')) void shell.openExternal(url)
    return { action: 'deny' }
  })
  win.webContents.on('will-navigate', (event) => event.preventDefault())
  win.webContents.on('will-attach-webview', (event) => event.preventDefault())
  const off = s.events.on((event) => win?.webContents.send('kitsumy:event', event))
  win.on('closed', () => {
    off()
    win = null
  })
  const devUrl = !app.isPackaged ? process.env.ELECTRON_RENDERER_URL : undefined
  await win.loadURL(devUrl ?? `${ORIGIN}/index.html`)
}

app.on('second-instance', () => {
  if (!win) return
  if (win.isMinimized()) win.restore()
  win.focus()
})

app.whenReady().then(async () => {
  const s = new Studio({
    paths: pathsFor(dataDir),
    secrets: new SafeStorageSecrets(dataDir),
    version: app.getVersion(),
    language: app.getLocale().startsWith('uk') ? 'uk' : 'en',
    sampleOnFirstLaunch: true,
  })
  studio = s
  serveProtocol(s)
  const dispatch = createDispatch(s.handlers('ipc'))
  ipcMain.handle('kitsumy:invoke', (event, command: unknown, input: unknown) => {
    if (!fromOurPage(event)) return fail('unauthorized', 'This window may not call the studio.')
    if (typeof command !== 'string') return fail('unknown_command', 'A command name must be text.')
    return dispatch(command, input)
  })
  buildMenu({ dataDir, send: (event) => win?.webContents.send('kitsumy:event', event) })
  s.start()
  await createWindow(s)
})

app.on('window-all-closed', () => app.quit())

let quitting = false
app.on('before-quit', (event) => {
  if (quitting || !studio) return
  event.preventDefault()
  quitting = true
  const s = studio
  studio = null
  void s.close().finally(() => app.quit())
})
