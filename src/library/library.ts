import type { Clock } from '../platform/clock.ts'
import type { Paths } from '../platform/paths.ts'
import { AiCache } from './ai-cache.ts'
import { ComicsRepo } from './comics-repo.ts'
import { openDatabase, type Db } from './database.ts'
import { ImageStore } from './image-store.ts'
import { SettingsRepo } from './settings-repo.ts'

// The library folder: one SQLite file and the image files beside it.
export class Library {
  readonly db: Db
  readonly comics: ComicsRepo
  readonly images: ImageStore
  readonly cache: AiCache
  readonly settings: SettingsRepo

  constructor(paths: Paths, clock: Clock) {
    this.db = openDatabase(paths.dbFile)
    this.comics = new ComicsRepo(this.db)
    this.images = new ImageStore(paths.imagesDir)
    this.cache = new AiCache(this.db, () => clock.now())
    this.settings = new SettingsRepo(this.db)
  }

  close(): void {
    if (this.db.open) this.db.close()
  }
}
