import { app, Menu, shell, type MenuItemConstructorOptions } from 'electron'
import type { StudioEvent } from '../src/contract/index.ts'

type MenuCommand = Extract<StudioEvent, { type: 'menu' }>['command']

// Native menus; the studio acts on them through the same event stream as everything else.
export function buildMenu(opts: { dataDir: string; send(event: StudioEvent): void }): void {
  const command = (c: MenuCommand) => () => opts.send({ type: 'menu', command: c })
  const template: MenuItemConstructorOptions[] = [
    ...(process.platform === 'darwin' ? [{ role: 'appMenu' as const }] : []),
    {
      label: '&File',
      submenu: [
        { label: 'New Comic', accelerator: 'CmdOrCtrl+N', click: command('new') },
        { label: 'Open Library Folder', click: () => void shell.openPath(opts.dataDir) },
        { label: 'Export…', accelerator: 'CmdOrCtrl+E', click: command('export') },
        { type: 'separator' },
        { label: 'Settings', accelerator: 'CmdOrCtrl+,', click: command('settings') },
        { type: 'separator' },
        process.platform === 'darwin' ? { role: 'close' } : { role: 'quit' },
      ],
    },
    {
      label: '&Edit',
      submenu: [
        { label: 'Undo', accelerator: 'CmdOrCtrl+Z', click: command('undo') },
        { label: 'Redo', accelerator: 'Shift+CmdOrCtrl+Z', click: command('redo') },
        { type: 'separator' },
        { role: 'cut' }, { role: 'copy' }, { role: 'paste' }, { role: 'selectAll' },
      ],
    },
    {
      label: '&View',
      submenu: [
        { role: 'resetZoom' }, { role: 'zoomIn' }, { role: 'zoomOut' }, { type: 'separator' }, { role: 'togglefullscreen' },
        ...(app.isPackaged ? [] : [{ role: 'toggleDevTools' as const }]),
      ],
    },
    { label: '&Help', submenu: [{ label: 'About Kitsumy Studio', click: command('about') }] },
  ]
  Menu.setApplicationMenu(Menu.buildFromTemplate(template))
}
