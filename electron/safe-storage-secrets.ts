import { existsSync, readFileSync, writeFileSync, renameSync } from 'node:fs'
import { join } from 'node:path'
import { safeStorage } from 'electron'
import { KitsumyError } from '../src/contract/index.ts'
import { SECRET_NAMES, type SecretName, type SecretStatus, type Secrets } from '../src/platform/secrets.ts'

// Keys encrypted by the OS keychain through safeStorage; the file holds only ciphertext.
export class SafeStorageSecrets implements Secrets {
  private readonly file: string
  private readonly blobs: Partial<Record<SecretName, string>>

  constructor(dataDir: string) {
    this.file = join(dataDir, 'secrets.json')
    this.blobs = existsSync(this.file) ? JSON.parse(readFileSync(this.file, 'utf8')) : {}
  }

  // On Linux without a keyring Electron falls back to a hard-coded password; that is not encryption.
  safeStorageAvailable(): boolean {
    if (!safeStorage.isEncryptionAvailable()) return false
    return process.platform !== 'linux' || safeStorage.getSelectedStorageBackend() !== 'basic_text'
  }

  get(name: SecretName): string | null {
    const blob = this.blobs[name]
    if (!blob) return null
    try {
      return safeStorage.decryptString(Buffer.from(blob, 'base64'))
    } catch {
      return null
    }
  }

  set(name: SecretName, value: string, opts: { allowPlaintext?: boolean } = {}): void {
    if (!safeStorage.isEncryptionAvailable() || (!this.safeStorageAvailable() && !opts.allowPlaintext)) {
      throw new KitsumyError('conflict', 'No OS keychain is available to encrypt the key; agree to store it unprotected, or set it in the environment.')
    }
    this.blobs[name] = safeStorage.encryptString(value).toString('base64')
    this.save()
  }

  clear(name: SecretName): void {
    delete this.blobs[name]
    this.save()
  }

  status(name: SecretName): SecretStatus {
    const value = this.get(name)
    return { set: value !== null, last4: value ? value.slice(-4) : null, storage: this.safeStorageAvailable() ? 'encrypted' : 'unavailable' }
  }

  private save(): void {
    const known = Object.fromEntries(SECRET_NAMES.filter((n) => this.blobs[n]).map((n) => [n, this.blobs[n]]))
    writeFileSync(`${this.file}.tmp`, JSON.stringify(known), { mode: 0o600 })
    renameSync(`${this.file}.tmp`, this.file)
  }
}
