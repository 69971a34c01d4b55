import { homedir } from 'node:os'
import { join } from 'node:path'

export interface Paths {
  dataDir: string
  dbFile: string
  imagesDir: string
}

export const APP_FOLDER = 'Kitsumy Studio'

// The same folder Electron's app.getPath('userData') gives for our productName, so the CLI and the app share a library.
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (env.KITSUMY_HOME) return env.KITSUMY_HOME
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), APP_FOLDER)
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', APP_FOLDER)
  return join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), APP_FOLDER)
}

export function pathsFor(dataDir: string): Paths {
  return { dataDir, dbFile: join(dataDir, 'library.sqlite'), imagesDir: join(dataDir, 'images') }
}
