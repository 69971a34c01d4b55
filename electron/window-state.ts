import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { screen, type BrowserWindow, type Rectangle } from 'electron'

interface WindowState { bounds: Partial<Rectangle> & { width: number; height: number }; maximized: boolean }

const DEFAULT: WindowState = { bounds: { width: 1280, height: 820 }, maximized: false }

export function restoreWindowState(dataDir: string): WindowState {
  try {
    const saved = JSON.parse(readFileSync(join(dataDir, 'window-state.json'), 'utf8')) as WindowState
    // A window saved on a monitor that is gone would open off-screen.
    const visible = screen.getAllDisplays().some((d) => {
      const { x = 0, y = 0 } = saved.bounds
      return x >= d.workArea.x - 50 && y >= d.workArea.y - 50 && x < d.workArea.x + d.workArea.width && y < d.workArea.y + d.workArea.height
    })
    return visible ? saved : { ...saved, bounds: { width: saved.bounds.width, height: saved.bounds.height } }
  } catch {
    return DEFAULT
  }
}

export function trackWindowState(win: BrowserWindow, dataDir: string): void {
  const save = () => {
    const state: WindowState = { bounds: win.getNormalBounds(), maximized: win.isMaximized() }
    writeFileSync(join(dataDir, 'window-state.json'), JSON.stringify(state))
  }
  win.on('close', save)
}
