import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { describe, expect, it } from 'vitest'
import Ajv from 'ajv'
import { load } from 'js-yaml'

const require = createRequire(import.meta.url)

describe('electron-builder.yml', () => {
  const config = load(readFileSync('electron-builder.yml', 'utf8')) as Record<string, any>

  it("validates against electron-builder's own schema", () => {
    const schema = JSON.parse(readFileSync(require.resolve('app-builder-lib/scheme.json'), 'utf8'))
    const ajv = new Ajv({ allErrors: true, strict: false })
    const validate = ajv.compile(schema)
    const valid = validate(config)
    expect(validate.errors ?? []).toEqual([])
    expect(valid).toBe(true)
  })

  it('builds for every platform and keeps native code out of the asar', () => {
    expect(config.appId).toMatch(/^[a-z]+(\.[a-z]+)+$/)
    expect(config.win.target.map((t: { target: string }) => t.target)).toContain('nsis')
    expect(config.nsis.perMachine).toBe(false)
    expect(config.mac.target.map((t: { target: string }) => t.target)).toContain('dmg')
    expect(config.mac.hardenedRuntime).toBe(true)
    expect(config.linux.target).toEqual(expect.arrayContaining(['AppImage', 'deb']))
    expect(config.asarUnpack.some((p: string) => p.includes('better-sqlite3'))).toBe(true)
  })
})
