import { spawn, type ChildProcess } from 'node:child_process'
import { mkdirSync } from 'node:fs'
import { chromium, type Browser } from 'playwright-core'

export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium'
export const SCREENSHOTS = 'test-results/screenshots'

export async function launchChromium(): Promise<Browser> {
  mkdirSync(SCREENSHOTS, { recursive: true })
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  })
}

export interface ServeProcess { url: string; child: ChildProcess; stop(): Promise<void> }

// Runs the real `kitsumy serve` the way a user would, and waits for the URL it prints.
export function startServe(home: string, extraEnv: Record<string, string> = {}, args: string[] = []): Promise<ServeProcess> {
  const child = spawn(process.execPath, ['bin/kitsumy.js', 'serve', '--port', '0', ...args], {
    env: { ...process.env, KITSUMY_HOME: home, ...extraEnv },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve printed no URL: ${output}`)), 30_000)
    const onData = (chunk: Buffer) => {
      output += chunk.toString()
      const match = output.match(/http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+/)
      if (!match) return
      clearTimeout(timer)
      resolve({
        url: match[0],
        child,
        stop: () => new Promise((done) => {
          if (child.exitCode !== null) return done()
          child.once('exit', () => done())
          child.kill('SIGTERM')
        }),
      })
    }
    child.stdout!.on('data', onData)
    child.stderr!.on('data', (c: Buffer) => { output += c.toString() })
    child.once('exit', (code) => reject(new Error(`serve exited with ${code}: ${output}`)))
  })
}
