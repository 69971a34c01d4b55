import { KitsumyError } from '../contract/errors.ts'
import type { EngineId } from '../contract/image.ts'
import type { CostLedger } from './ledger.ts'
import { formatUsd } from './money.ts'

// Spending caps. Reaching one stops cloud work only: drawn panels stay, the offline engine still draws.

export interface BudgetCaps {
  comicUsd: number | null
  dayUsd: number | null
  monthUsd: number | null
}

export interface Spend {
  comicUsd: number
  dayUsd: number
  monthUsd: number
}

export type BudgetCap = 'comic' | 'day' | 'month'

export type BudgetVerdict =
  | { allowed: true; leftUsd: number | null }
  | { allowed: false; cap: BudgetCap; limitUsd: number; spentUsd: number; leftUsd: number; message: string }

export const NO_CAPS: BudgetCaps = { comicUsd: null, dayUsd: null, monthUsd: null }

const CAP_NAMES: Record<BudgetCap, string> = { comic: 'per-comic', day: 'daily', month: 'monthly' }

// Engines that spend nothing are never stopped by a budget.
export function isFree(engine: EngineId): boolean {
  return engine === 'offline' || engine === 'comfy-local'
}

// Pure: may `nextUsd` more be spent? The tightest cap decides.
export function checkBudget(spend: Spend, caps: BudgetCaps, nextUsd = 0): BudgetVerdict {
  const limits: { cap: BudgetCap; limit: number; spent: number }[] = []
  if (caps.comicUsd !== null) limits.push({ cap: 'comic', limit: caps.comicUsd, spent: spend.comicUsd })
  if (caps.dayUsd !== null) limits.push({ cap: 'day', limit: caps.dayUsd, spent: spend.dayUsd })
  if (caps.monthUsd !== null) limits.push({ cap: 'month', limit: caps.monthUsd, spent: spend.monthUsd })
  if (limits.length === 0) return { allowed: true, leftUsd: null }
  const tightest = limits.reduce((a, b) => (b.limit - b.spent < a.limit - a.spent ? b : a))
  const left = Math.max(0, tightest.limit - tightest.spent)
  // A cent's worth of float dust must not stop a comic that is exactly on budget.
  if (tightest.spent + nextUsd <= tightest.limit + 1e-9) return { allowed: true, leftUsd: left }
  const reached = tightest.spent >= tightest.limit - 1e-9
  const message = `${reached ? 'The' : 'This image would exceed the'} ${CAP_NAMES[tightest.cap]} budget of ${formatUsd(tightest.limit)}`
    + `${reached ? ' is reached' : ''} (${formatUsd(tightest.spent)} spent). Cloud drawing is paused; the panels already drawn are kept. `
    + 'Raise the budget in Settings to continue, or draw the rest offline.'
  return { allowed: false, cap: tightest.cap, limitUsd: tightest.limit, spentUsd: tightest.spent, leftUsd: left, message }
}

// Not retryable: retrying cannot make room in the budget, and each refused panel says why.
export function budgetError(verdict: Extract<BudgetVerdict, { allowed: false }>): KitsumyError {
  return new KitsumyError('budget', verdict.message, { retryable: false })
}

export interface BudgetGuardOptions {
  ledger: CostLedger
  caps: () => BudgetCaps
}

// The ledger's totals against the caps; pods still running count for the time they have billed so far.
export class BudgetGuard {
  private readonly opts: BudgetGuardOptions
  // Images on their way to a paid engine, by charge key: each holds its expected price until its charge is
  // recorded or it fails, so images drawn side by side cannot pass a cap between them.
  private readonly holds = new Map<string, { comicId: string | null; usd: number }>()

  constructor(opts: BudgetGuardOptions) {
    this.opts = opts
  }

  spend(comicId: string | null): Spend {
    const { ledger } = this.opts
    const open = ledger.openPodsUsd()
    return { comicUsd: comicId === null ? 0 : ledger.comicUsd(comicId), dayUsd: ledger.dayUsd() + open, monthUsd: ledger.monthUsd() + open }
  }

  // What is spent plus what the images in flight hold: what a cap is measured against.
  private committed(comicId: string | null): Spend {
    const spend = this.spend(comicId)
    for (const h of this.holds.values()) {
      spend.dayUsd += h.usd
      spend.monthUsd += h.usd
      if (comicId !== null && h.comicId === comicId) spend.comicUsd += h.usd
    }
    return spend
  }

  check(comicId: string | null, engine: EngineId, nextUsd = 0): BudgetVerdict {
    if (isFree(engine)) return { allowed: true, leftUsd: null }
    return checkBudget(this.committed(comicId), this.opts.caps(), nextUsd)
  }

  // Lets one more image start if the caps have room for it on top of the images already in flight, and holds
  // `usd` for it under `key`; throws KitsumyError('budget') when cloud work must stop.
  admit(key: string, comicId: string | null, engine: EngineId, usd: number): void {
    this.holds.delete(key)
    const verdict = this.check(comicId, engine, usd)
    if (!verdict.allowed) throw budgetError(verdict)
    if (!isFree(engine)) this.holds.set(key, { comicId, usd })
  }

  // The image's charge is recorded, or it failed: its hold ends.
  release(key: string): void {
    this.holds.delete(key)
  }

  // What the router may still spend (its budgetLeftUsd); null without caps.
  leftUsd(comicId: string | null): number | null {
    const verdict = checkBudget(this.committed(comicId), this.opts.caps())
    return verdict.leftUsd
  }
}
