// Urgent means 95 % of comics within five minutes, not every one. When a burst would send the rest of a comic
// to serverless at three times a pod's price, the studio may instead let that comic finish late on the pods,
// behind every comic still on time. This counts how many it has let run late: at most `share` of the last
// `window` urgent comics, so the lateness stays a small, bounded part of what the service level allows.
export class LateAllowance {
  private readonly share: number
  private readonly window: number
  // Urgent comics routed lately, oldest first, and which of them run late.
  private readonly recent: string[] = []
  private readonly seen = new Set<string>()
  private readonly late = new Set<string>()

  constructor(share: number, window = 100) {
    this.share = share
    this.window = window
  }

  // An urgent comic is being drawn.
  see(comicId: string): void {
    if (this.seen.has(comicId)) return
    this.seen.add(comicId)
    this.recent.push(comicId)
    if (this.recent.length > this.window) {
      const old = this.recent.shift()!
      this.seen.delete(old)
      this.late.delete(old)
    }
  }

  runsLate(comicId: string): boolean {
    return this.late.has(comicId)
  }

  // This comic runs late already, or one more fits in the share.
  mayRunLate(comicId: string): boolean {
    return this.late.has(comicId) || this.late.size + 1 <= Math.floor(this.share * this.window + 1e-9)
  }

  letRunLate(comicId: string): boolean {
    if (!this.mayRunLate(comicId)) return false
    this.late.add(comicId)
    return true
  }
}
