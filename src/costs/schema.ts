import type Database from 'better-sqlite3'

// The library owns PRAGMA user_version, so the ledger creates its own tables idempotently beside it.
// Amounts are integer nano-dollars: a month of per-second charges adds up to the cent, exactly.
const TABLES = `
CREATE TABLE IF NOT EXISTS cost_charges (
  seq            INTEGER PRIMARY KEY,
  idem_key       TEXT NOT NULL UNIQUE,
  at             INTEGER NOT NULL,
  day            TEXT NOT NULL,
  month          TEXT NOT NULL,
  provider       TEXT NOT NULL,
  kind           TEXT NOT NULL,
  comic_id       TEXT,
  panel_id       TEXT,
  pod_id         TEXT,
  quantity       REAL NOT NULL,
  unit           TEXT NOT NULL,
  unit_price_usd REAL NOT NULL,
  amount_nusd    INTEGER NOT NULL CHECK (amount_nusd >= 0),
  price_source   TEXT NOT NULL,
  price_as_of    TEXT NOT NULL,
  note           TEXT
);
CREATE INDEX IF NOT EXISTS cost_charges_comic ON cost_charges (comic_id) WHERE comic_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS cost_charges_day ON cost_charges (day);
CREATE INDEX IF NOT EXISTS cost_charges_month ON cost_charges (month);

-- A pod bills from create to terminate; until it ends, its time is shared out by what it served.
CREATE TABLE IF NOT EXISTS cost_pods (
  pod_id       TEXT PRIMARY KEY,
  provider     TEXT NOT NULL,
  usd_per_hour REAL NOT NULL,
  price_source TEXT NOT NULL,
  price_as_of  TEXT NOT NULL,
  opened_at    INTEGER NOT NULL,
  closed_at    INTEGER
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS cost_pod_usage (
  idem_key TEXT PRIMARY KEY,
  pod_id   TEXT NOT NULL,
  comic_id TEXT,
  panel_id TEXT,
  seconds  REAL NOT NULL CHECK (seconds >= 0),
  at       INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS cost_pod_usage_pod ON cost_pod_usage (pod_id);
CREATE INDEX IF NOT EXISTS cost_pod_usage_comic ON cost_pod_usage (comic_id) WHERE comic_id IS NOT NULL;

-- The last live price list fetched, kept with its date so an estimate can say how old its prices are.
CREATE TABLE IF NOT EXISTS cost_price_cache (
  name       TEXT PRIMARY KEY,
  fetched_at INTEGER NOT NULL,
  body       TEXT NOT NULL
) WITHOUT ROWID;
`

export function migrateCosts(db: Database.Database): void {
  db.exec(TABLES)
}
