import { describe, expect, it } from 'vitest'
import { LateAllowance } from '../../src/cloud/late-allowance.ts'

describe('late allowance: a few urgent comics in a hundred may finish late', () => {
  it('lets at most share × window of the last window comics run late, and frees a place as old comics leave the window', () => {
    const late = new LateAllowance(0.03, 100)
    for (let i = 0; i < 10; i++) late.see(`c${i}`)
    expect(late.letRunLate('c1')).toBe(true)
    expect(late.letRunLate('c2')).toBe(true)
    expect(late.letRunLate('c3')).toBe(true)
    // A fourth is refused; the three already late stay allowed (their later images follow them).
    expect(late.mayRunLate('c4')).toBe(false)
    expect(late.letRunLate('c4')).toBe(false)
    expect(late.runsLate('c4')).toBe(false)
    expect(late.mayRunLate('c2')).toBe(true)
    // Seeing a comic twice does not count it twice.
    late.see('c1')
    // 92 more comics push c0 and c1 out of the last hundred: c1's place is free again.
    for (let i = 10; i < 102; i++) late.see(`c${i}`)
    expect(late.runsLate('c1')).toBe(false)
    expect(late.runsLate('c2')).toBe(true)
    expect(late.letRunLate('c101')).toBe(true)
    expect(late.letRunLate('c100')).toBe(false)
  })

  it('a share of 0 keeps every comic on time', () => {
    const late = new LateAllowance(0)
    late.see('a')
    expect(late.letRunLate('a')).toBe(false)
    expect(late.mayRunLate('a')).toBe(false)
  })
})
