import type { Clock } from '../platform/clock.ts'
import type { Paths } from '../platform/paths.ts'
import { AiCache } from './ai-cache.ts'
import { ComicsRepo } from './comics-repo.ts'
import { openDatabase, type Db } from './database.ts'
import { ImageStore } from './image-store.ts'
import { SettingsRepo } from './settings-repo.ts'
import { WalCheckpointer } from './wal-checkpointer.ts'

// The library folder: one SQLite file and the image files beside it.
export class Library {
  readonly db: Db
  readonly comics: ComicsRepo
  readonly images: ImageStore
  readonly cache: AiCache
  readonly settings: SettingsRepo
  private readonly checkpointer: WalCheckpointer

  constructor(paths: Paths, clock: Clock) {
    this.db = openDatabase(paths.dbFile)
    this.comics = new ComicsRepo(this.db)
    this.images = new ImageStore(paths.imagesDir)
    this.cache = new AiCache(this.db, () => clock.now())
    this.settings = new SettingsRepo(this.db)
    // Checkpoints fsync; on a thread of their own they never stall the main process's event loop.
    this.checkpointer = new WalCheckpointer(this.db, { clock })
    this.checkpointer.start()
  }

  async close(): Promise<void> {
    await this.checkpointer.stop()
    if (this.db.open) this.db.close()
  }
}
