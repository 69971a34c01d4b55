// `npm start`: build, then open the desktop studio; where no Electron binary can be had, open the same studio in the browser.
import { spawn, spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const run = (args) => spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit' })

if (run(['node_modules/electron-vite/bin/electron-vite.js', 'build']).status !== 0) process.exit(1)

// Resolving 'electron' downloads its binary on first use; keep that attempt quiet and bounded.
const probe = spawnSync(process.execPath, ['-e', 'process.stdout.write(require("electron"))'], { cwd: root, encoding: 'utf8', timeout: 300_000 })
const electronPath = probe.status === 0 ? probe.stdout.trim() : ''

if (electronPath && existsSync(electronPath)) {
  const child = spawn(electronPath, ['.'], { cwd: root, stdio: 'inherit' })
  child.on('exit', (code) => process.exit(code ?? 0))
} else {
  console.log('Electron is not available on this machine (its download failed), so the studio opens in your browser instead.')
  const child = spawn(process.execPath, ['bin/kitsumy.js', 'serve', '--open'], { cwd: root, stdio: 'inherit' })
  child.on('exit', (code) => process.exit(code ?? 0))
}
