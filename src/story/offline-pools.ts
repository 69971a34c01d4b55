import type { Language } from '../contract/index.ts'
import type { Random } from '../platform/random.ts'
import { LINES_EN } from './offline-lines-en.ts'
import { LINES_UK } from './offline-lines-uk.ts'

const LINES: Record<Language, Record<string, string[]>> = { en: LINES_EN, uk: LINES_UK }

// Lines are dealt like cards: each pool is shuffled once per comic and dealt in turn, so a long
// comic repeats a line only after its pool runs out.
export class LinePools {
  private readonly lines: Record<string, string[]>
  private readonly rand: Random
  private readonly decks = new Map<string, { order: string[]; next: number }>()

  constructor(language: Language, rand: Random) {
    this.lines = LINES[language]
    this.rand = rand
  }

  has(key: string): boolean {
    return (this.lines[key]?.length ?? 0) > 0
  }

  // The first key that has lines wins, so callers can go from specific to general.
  draw(...keys: string[]): string {
    const key = keys.find((k) => this.has(k))
    if (!key) throw new Error(`No offline lines for ${keys.join(', ')}`)
    let deck = this.decks.get(key)
    if (!deck || deck.next >= deck.order.length) {
      const order = [...this.lines[key]]
      for (let i = order.length - 1; i > 0; i--) {
        const j = Math.floor(this.rand() * (i + 1))
        ;[order[i], order[j]] = [order[j], order[i]]
      }
      // A reshuffle must not start with the line just used.
      if (deck && order.length > 1 && order[0] === deck.order[deck.order.length - 1]) order.push(order.shift() as string)
      deck = { order, next: 0 }
      this.decks.set(key, deck)
    }
    return deck.order[deck.next++]
  }
}
