import { createDispatch } from '../../src/api/dispatch.ts'
import { startHttpServer, type RunningServer } from '../../src/api/http-server.ts'
import type { StudioEvent } from '../../src/contract/index.ts'
import { pathsFor } from '../../src/platform/paths.ts'
import { EnvSecrets } from '../../src/platform/secrets.ts'
import { Studio, type StudioOptions } from '../../src/studio/studio.ts'

export function makeStudio(dataDir: string, extra: Partial<StudioOptions> = {}): Studio {
  return new Studio({ paths: pathsFor(dataDir), secrets: new EnvSecrets({}), version: '0.0.0-test', ...extra })
}

export async function serveStudio(studio: Studio, rendererDir = '/nonexistent'): Promise<RunningServer> {
  return startHttpServer({ dispatch: createDispatch(studio.handlers('http')), events: studio.events, images: studio.library.images, rendererDir })
}

export function waitForEvent<T extends StudioEvent['type']>(studio: Studio, type: T, match: (e: Extract<StudioEvent, { type: T }>) => boolean = () => true): Promise<Extract<StudioEvent, { type: T }>> {
  return new Promise((resolve) => {
    const off = studio.events.on((e) => {
      if (e.type === type && match(e as Extract<StudioEvent, { type: T }>)) {
        off()
        resolve(e as Extract<StudioEvent, { type: T }>)
      }
    })
  })
}
