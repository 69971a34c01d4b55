import { defaultDataDir, pathsFor } from '../platform/paths.ts'
import { EnvSecrets } from '../platform/secrets.ts'
import type { Language } from '../contract/index.ts'
import { Studio } from '../studio/studio.ts'
import { APP_VERSION } from './version.ts'

// The CLI and serve mode share this: the library in KITSUMY_HOME or the app's data folder, keys from the environment.
export function openStudio(opts: { language?: Language; sampleOnFirstLaunch?: boolean } = {}): Studio {
  return new Studio({
    paths: pathsFor(defaultDataDir()),
    secrets: new EnvSecrets(),
    version: APP_VERSION,
    language: opts.language,
    sampleOnFirstLaunch: opts.sampleOnFirstLaunch,
  })
}
