// Keys are read through this service only; nothing else in the engine stores or prints them.
export const SECRET_NAMES = ['openai', 'runpod', 'replicate'] as const
export type SecretName = (typeof SECRET_NAMES)[number]

export interface SecretStatus {
  set: boolean
  last4: string | null
  storage: 'encrypted' | 'environment' | 'memory' | 'unavailable'
}

export interface Secrets {
  get(name: SecretName): string | null
  // allowPlaintext: the user agreed to keep a key where no OS keychain can protect it.
  set(name: SecretName, value: string, opts?: { allowPlaintext?: boolean }): void
  clear(name: SecretName): void
  status(name: SecretName): SecretStatus
  // Whether a key can be kept without asking the user first.
  safeStorageAvailable(): boolean
}

const ENV: Record<SecretName, string> = {
  openai: 'OPENAI_API_KEY',
  runpod: 'RUNPOD_API_KEY',
  replicate: 'REPLICATE_API_TOKEN',
}

// For the CLI and serve mode: keys come from the environment and live only in memory when set at run time.
export class EnvSecrets implements Secrets {
  private readonly values = new Map<SecretName, string>()
  private readonly env: NodeJS.ProcessEnv

  constructor(env: NodeJS.ProcessEnv = process.env) {
    this.env = env
  }

  get(name: SecretName): string | null {
    return this.values.get(name) ?? (this.env[ENV[name]] || null)
  }

  set(name: SecretName, value: string): void {
    this.values.set(name, value)
  }

  clear(name: SecretName): void {
    this.values.delete(name)
  }

  status(name: SecretName): SecretStatus {
    const value = this.get(name)
    return {
      set: value !== null,
      last4: value ? value.slice(-4) : null,
      storage: !this.values.has(name) && value ? 'environment' : 'memory',
    }
  }

  // Keys set at run time stay in this process's memory and are gone when it exits.
  safeStorageAvailable(): boolean {
    return true
  }
}
