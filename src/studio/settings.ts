import { z } from 'zod'
import { KitsumyError, SettingsPatch, SettingsView, type Language } from '../contract/index.ts'
import type { Library } from '../library/library.ts'
import { SECRET_NAMES, type SecretName, type Secrets } from '../platform/secrets.ts'

const Prefs = SettingsView.omit({ dataDir: true, keyringAvailable: true, keys: true })
type Prefs = z.infer<typeof Prefs>

const KEY = 'prefs'

// Preferences with some of them replaced, the groups field by field.
function over(base: Prefs, top: Partial<Prefs> | z.output<typeof SettingsPatch>): unknown {
  return {
    ...base,
    ...top,
    pods: { ...base.pods, ...top.pods },
    budgets: { ...base.budgets, ...top.budgets },
    providers: { ...base.providers, ...top.providers },
  }
}

// The user's preferences in the library, and the keys' status (never the keys) from the Secrets service.
export class SettingsService {
  private readonly library: Library
  private readonly secrets: Secrets
  private readonly dataDir: string
  private readonly defaults: Prefs

  constructor(library: Library, secrets: Secrets, dataDir: string, language: Language) {
    this.library = library
    this.secrets = secrets
    this.dataDir = dataDir
    this.defaults = {
      language,
      preferredEngine: 'auto',
      pods: { enabled: false, capacityClass: 'on-demand', idleMinutes: 15, maxPods: 2, urgentLatePercent: 4 },
      budgets: { dayUsd: null, monthUsd: null, comicUsd: null },
      providers: { serverlessEndpointId: null, localComfyUrl: null, gpuTypes: ['NVIDIA A40', 'NVIDIA RTX A6000', 'NVIDIA L40S', 'NVIDIA GeForce RTX 4090'], bidPerGpu: null },
      openaiBaseUrl: null,
      openaiModel: 'gpt-4.1-mini',
    }
  }

  // Stored preferences over the defaults, so a preference added in a later version starts at its default.
  prefs(): Prefs {
    const merged = Prefs.safeParse(over(this.defaults, (this.library.settings.get(KEY) ?? {}) as Partial<Prefs>))
    return merged.success ? merged.data : this.defaults
  }

  view(): SettingsView {
    return {
      ...this.prefs(),
      dataDir: this.dataDir,
      keyringAvailable: this.secrets.safeStorageAvailable(),
      keys: SECRET_NAMES.map((name) => ({ name, ...this.secrets.status(name) })),
    }
  }

  update(patch: z.output<typeof SettingsPatch>): SettingsView {
    const next = Prefs.parse(over(this.prefs(), patch))
    this.library.settings.put(KEY, next)
    return this.view()
  }

  setKey(name: SecretName, value: string, allowPlaintext: boolean) {
    if (!this.secrets.safeStorageAvailable() && !allowPlaintext) {
      throw new KitsumyError('conflict', 'This computer has no keychain to encrypt the key. Confirm that it may be stored unprotected.')
    }
    this.secrets.set(name, value, { allowPlaintext })
    return { name, ...this.secrets.status(name) }
  }

  clearKey(name: SecretName) {
    this.secrets.clear(name)
    return { name, ...this.secrets.status(name) }
  }
}
