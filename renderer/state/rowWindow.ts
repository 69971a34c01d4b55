// The rows of a list of equal-height rows that a scrolled viewport shows, plus `overscan` rows on each
// side. Inclusive bounds; `last < first` when there is nothing to show.
export interface RowRange {
  first: number
  last: number
}

export function rowRange(scrollTop: number, viewport: number, rowHeight: number, count: number, overscan: number): RowRange {
  if (count <= 0 || rowHeight <= 0 || viewport <= 0) return { first: 0, last: -1 }
  // A position left over from a longer list (a search just narrowed it) counts from the list's end.
  const top = Math.max(0, Math.min(scrollTop, count * rowHeight - viewport))
  return {
    first: Math.max(0, Math.floor(top / rowHeight) - overscan),
    last: Math.min(count - 1, Math.ceil((top + viewport) / rowHeight) - 1 + overscan),
  }
}
