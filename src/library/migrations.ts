// Append only: each entry runs once, in order, and bumps PRAGMA user_version.
export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE comics (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    idea TEXT NOT NULL,
    summary TEXT NOT NULL DEFAULT '',
    style_id TEXT NOT NULL,
    language TEXT NOT NULL,
    reading_order TEXT NOT NULL,
    status TEXT NOT NULL,
    seed INTEGER NOT NULL,
    cover TEXT,
    page_count INTEGER NOT NULL DEFAULT 0,
    panel_count INTEGER NOT NULL DEFAULT 0,
    search_text TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    trashed_at INTEGER
  );
  CREATE INDEX comics_updated ON comics(trashed_at, updated_at DESC);
  CREATE INDEX comics_created ON comics(trashed_at, created_at DESC);
  CREATE INDEX comics_title ON comics(trashed_at, title COLLATE NOCASE);

  CREATE TABLE characters (
    id TEXT PRIMARY KEY,
    comic_id TEXT NOT NULL REFERENCES comics(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    name TEXT NOT NULL,
    role TEXT NOT NULL,
    look TEXT NOT NULL,
    seed INTEGER NOT NULL,
    reference_image TEXT
  );
  CREATE INDEX characters_comic ON characters(comic_id, position);

  CREATE TABLE pages (
    id TEXT PRIMARY KEY,
    comic_id TEXT NOT NULL REFERENCES comics(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    layout TEXT NOT NULL
  );
  CREATE INDEX pages_comic ON pages(comic_id, position);

  CREATE TABLE panels (
    id TEXT PRIMARY KEY,
    comic_id TEXT NOT NULL REFERENCES comics(id) ON DELETE CASCADE,
    page_id TEXT NOT NULL REFERENCES pages(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    shot TEXT NOT NULL,
    scene TEXT NOT NULL,
    character_ids TEXT NOT NULL,
    seed INTEGER NOT NULL,
    image TEXT,
    status TEXT NOT NULL,
    error TEXT
  );
  CREATE INDEX panels_comic ON panels(comic_id, position);
  CREATE INDEX panels_page ON panels(page_id, position);

  CREATE TABLE bubbles (
    id TEXT PRIMARY KEY,
    comic_id TEXT NOT NULL REFERENCES comics(id) ON DELETE CASCADE,
    panel_id TEXT NOT NULL REFERENCES panels(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    kind TEXT NOT NULL,
    text TEXT NOT NULL,
    speaker_id TEXT,
    x REAL NOT NULL, y REAL NOT NULL, w REAL NOT NULL, h REAL NOT NULL,
    tail_x REAL NOT NULL, tail_y REAL NOT NULL
  );
  CREATE INDEX bubbles_comic ON bubbles(comic_id, position);

  -- Results of AI calls by the hash of their request: a repeat costs nothing.
  CREATE TABLE ai_cache (
    key TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    value TEXT NOT NULL,
    created_at INTEGER NOT NULL
  );
  `,
  `
  -- Every image a panel has had, so the user can go back to an earlier one. Panels are rewritten on edit,
  -- so versions hang off the comic, not the panel row.
  CREATE TABLE panel_versions (
    comic_id TEXT NOT NULL REFERENCES comics(id) ON DELETE CASCADE,
    panel_id TEXT NOT NULL,
    image TEXT NOT NULL,
    seed INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (panel_id, image)
  );
  CREATE INDEX panel_versions_comic ON panel_versions(comic_id);

  CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
  );
  `,
]
