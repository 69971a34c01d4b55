import type { Db } from './database.ts'

// Preferences as JSON values by key; the caller's zod schema decides what a value may be.
export class SettingsRepo {
  private readonly getStmt
  private readonly putStmt

  constructor(db: Db) {
    this.getStmt = db.prepare(`SELECT value FROM settings WHERE key = ?`)
    this.putStmt = db.prepare(`INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`)
  }

  get(key: string): unknown {
    const row = this.getStmt.get(key) as { value: string } | undefined
    return row ? JSON.parse(row.value) : undefined
  }

  put(key: string, value: unknown): void {
    this.putStmt.run(key, JSON.stringify(value))
  }
}
