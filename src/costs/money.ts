// Charges are kept in integer nano-dollars so that any number of rows sums exactly.
export const NANO_PER_USD = 1_000_000_000

export function toNano(usd: number): number {
  return Math.round(usd * NANO_PER_USD)
}

export function toUsd(nano: number): number {
  return nano / NANO_PER_USD
}

// Splits an integer total into integer parts proportional to the weights; the parts always sum to the
// total (largest remainder), so sharing a pod's bill never creates or loses a nano-dollar.
export function splitByWeight(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((a, w) => a + Math.max(0, w), 0)
  if (weights.length === 0) return []
  if (sum <= 0) return weights.map((_, i) => (i === 0 ? total : 0))
  const exact = weights.map((w) => (total * Math.max(0, w)) / sum)
  const parts = exact.map(Math.floor)
  let left = total - parts.reduce((a, b) => a + b, 0)
  const order = exact.map((x, i) => ({ i, r: x - Math.floor(x) })).sort((a, b) => b.r - a.r || a.i - b.i)
  for (let k = 0; left > 0; k = (k + 1) % order.length, left--) parts[order[k].i]++
  return parts
}

// Cents for dollars and up; below a dollar, as many digits as a per-second price needs (at least two).
export function formatUsd(usd: number): string {
  if (usd >= 1 || usd === 0) return `$${usd.toFixed(2)}`
  return `$${usd.toFixed(5).replace(/(\.\d\d\d*?)0+$/, '$1')}`
}
