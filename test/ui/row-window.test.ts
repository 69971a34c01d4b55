import { describe, expect, it } from 'vitest'
import { rowRange } from '../../renderer/state/rowWindow.ts'

// The library grid's window over 10,000 comics: rows of equal height, only the ones on screen (and a few
// on each side) in the DOM.
describe('rowRange', () => {
  it('shows the rows the viewport covers, plus the overscan on each side', () => {
    // Rows of 300 px, a 860 px viewport at the top: rows 0–2 are on screen.
    expect(rowRange(0, 860, 300, 2500, 0)).toEqual({ first: 0, last: 2 })
    expect(rowRange(0, 860, 300, 2500, 2)).toEqual({ first: 0, last: 4 })
    // Scrolled to 1,000 px: rows 3 (from 900) to 6 (ends at 2,100 > 1,860).
    expect(rowRange(1_000, 860, 300, 2500, 0)).toEqual({ first: 3, last: 6 })
    expect(rowRange(1_000, 860, 300, 2500, 1)).toEqual({ first: 2, last: 7 })
  })

  it('stays inside the list at its end, even from a position a longer list left behind', () => {
    const end = rowRange(2500 * 300 - 860, 860, 300, 2500, 2)
    expect(end.last).toBe(2499)
    // A search narrowed 2,500 rows to 4 while scrolled far down: the window is the end of the short list.
    expect(rowRange(500_000, 860, 300, 4, 1)).toEqual({ first: 0, last: 3 })
    expect(rowRange(500_000, 860, 300, 10, 0)).toEqual({ first: 7, last: 9 })
  })

  it('shows nothing for an empty list or an unmeasured viewport', () => {
    for (const range of [rowRange(0, 860, 300, 0, 2), rowRange(0, 0, 300, 10, 2), rowRange(0, 860, 0, 10, 2)]) {
      expect(range.last).toBeLessThan(range.first)
    }
  })

  it('holds fewer than 50 cards at any position of 10,000 comics, 4 to a row', () => {
    const rows = 2500
    for (let top = 0; top < rows * 300; top += 7_919) {
      const { first, last } = rowRange(top, 860, 300, rows, 2)
      expect((last - first + 1) * 4).toBeLessThan(50)
    }
  })
})
