import type Database from 'better-sqlite3'

// Durability the queue is measured and shipped with (see bench/queue.ts): in WAL mode NORMAL never
// corrupts and survives a process crash; only an OS crash or power cut can drop the last commits,
// which the queue absorbs as at-least-once re-runs (result and cost roll back together). Its only
// fsyncs are at checkpoints, which WalCheckpointer moves off the event loop.
export const QUEUE_PRAGMAS = ['journal_mode = WAL', 'synchronous = NORMAL', 'busy_timeout = 5000'] as const

const V1 = `
-- A job's id is 'j' followed by its seq: no id index to keep up, and AUTOINCREMENT never hands out a
-- seq (so an id) twice, even after pruning.
CREATE TABLE IF NOT EXISTS queue_jobs (
  seq          INTEGER PRIMARY KEY AUTOINCREMENT,
  id           TEXT GENERATED ALWAYS AS ('j' || seq) VIRTUAL,
  kind         TEXT NOT NULL,
  payload      TEXT NOT NULL,
  key          TEXT,
  grp          TEXT,
  -- An OR chain, not IN (…): SQLite evaluates it on every insert and update, and IN costs more there.
  state        TEXT NOT NULL CHECK (state = 'queued' OR state = 'delayed' OR state = 'active' OR state = 'waiting'
                 OR state = 'completed' OR state = 'failed' OR state = 'cancelled'),
  priority     INTEGER NOT NULL,
  run_at       INTEGER NOT NULL,
  attempts     INTEGER NOT NULL DEFAULT 0,
  max_attempts INTEGER NOT NULL,
  stalls       INTEGER NOT NULL DEFAULT 0,
  progress     REAL NOT NULL DEFAULT 0,
  parent       INTEGER,
  comic_id     TEXT,
  -- Kept on the parent in the same transactions that add or finish a child, so settling a comic
  -- never has to count its panels.
  children_total     INTEGER NOT NULL DEFAULT 0,
  children_completed INTEGER NOT NULL DEFAULT 0,
  children_failed    INTEGER NOT NULL DEFAULT 0,
  children_cancelled INTEGER NOT NULL DEFAULT 0,
  lease        TEXT,
  lease_until  INTEGER,
  error        TEXT,
  result       TEXT,
  created_at   INTEGER NOT NULL,
  updated_at   INTEGER NOT NULL,
  finished_at  INTEGER
);
-- Partial indexes stay as small as the set they serve: the claim walks only ready rows, in claim order.
CREATE INDEX IF NOT EXISTS queue_jobs_ready ON queue_jobs (priority DESC, seq, kind, grp, key) WHERE state = 'queued';
CREATE INDEX IF NOT EXISTS queue_jobs_delayed ON queue_jobs (run_at) WHERE state = 'delayed';
-- Active jobs are few (bounded by worker concurrency): one small index serves the stall check and
-- the "is this key already running" test of the claim.
CREATE INDEX IF NOT EXISTS queue_jobs_active ON queue_jobs (key) WHERE state = 'active';
-- A comic's own jobs (few, so they are also where waiting comics are looked up); its panels are found
-- through their parent.
CREATE INDEX IF NOT EXISTS queue_jobs_comic ON queue_jobs (comic_id) WHERE comic_id IS NOT NULL AND parent IS NULL;
-- One live top-level job per key; one child per key under each parent, whatever its state, so a
-- parent that runs again re-enqueues into the children it already has. (Children without a key are
-- NULLs to UNIQUE, so the same index also lists a parent's children.)
CREATE UNIQUE INDEX IF NOT EXISTS queue_jobs_key_live ON queue_jobs (key)
  WHERE key IS NOT NULL AND parent IS NULL AND state IN ('queued','delayed','active','waiting');
CREATE UNIQUE INDEX IF NOT EXISTS queue_jobs_children ON queue_jobs (parent, key) WHERE parent IS NOT NULL;
CREATE INDEX IF NOT EXISTS queue_jobs_finished ON queue_jobs (finished_at) WHERE finished_at IS NOT NULL;

CREATE TABLE IF NOT EXISTS queue_results (
  key        TEXT PRIMARY KEY,
  job        INTEGER NOT NULL,
  result     TEXT NOT NULL,
  created_at INTEGER NOT NULL
) WITHOUT ROWID;
`

// The ready index without the key: a key is up to 256 characters, so it made every index entry (and
// the pages each enqueue writes) several times larger. The claim reads a candidate's key from its row,
// which it is about to update anyway; kind and group stay, so rows it skips are skipped in the index.
const V2 = `
DROP INDEX IF EXISTS queue_jobs_ready;
CREATE INDEX queue_jobs_ready ON queue_jobs (priority DESC, seq, kind, grp) WHERE state = 'queued';
`

// The library owns PRAGMA user_version, so the queue versions its own tables in queue_meta
// (schema_version = how many STEPS have run). Append only.
const STEPS: readonly string[] = [V1, V2]

export function migrate(db: Database.Database): void {
  db.exec('CREATE TABLE IF NOT EXISTS queue_meta (name TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID')
  const row = db.prepare("SELECT value FROM queue_meta WHERE name = 'schema_version'").get() as { value: string } | undefined
  const current = row ? Number(row.value) : 0
  if (current > STEPS.length) {
    throw new Error(`This job queue was written by a newer Kitsumy Studio (queue schema ${current}); update the app to open it.`)
  }
  for (let version = current; version < STEPS.length; version++) {
    db.transaction(() => {
      db.exec(STEPS[version])
      db.prepare("INSERT INTO queue_meta (name, value) VALUES ('schema_version', ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value")
        .run(String(version + 1))
    }).immediate()
  }
}
