import { hostname } from 'node:os'

// Which running studio a pod belongs to. The desktop app, `kitsumy serve` and `kitsumy generate` can share one
// library (and so one installation id): a pod another studio still running on this machine rented is that
// studio's, not an orphan to reap.
export interface SessionOwner {
  // This process, as written into the pods it rents.
  owner: string
  isAlive(owner: string): boolean
}

export function localSession(host: string = hostname(), pid: number = process.pid): SessionOwner {
  return {
    owner: `${host}:${pid}`,
    isAlive(owner) {
      const at = owner.lastIndexOf(':')
      const ownerPid = Number(owner.slice(at + 1))
      // A pod rented on another machine cannot be checked from here: it is reaped as before.
      if (at < 0 || owner.slice(0, at) !== host || !Number.isInteger(ownerPid) || ownerPid <= 0) return false
      if (ownerPid === pid) return true
      try {
        process.kill(ownerPid, 0)
        return true
      } catch (err) {
        // EPERM: the process exists but belongs to someone else.
        return (err as NodeJS.ErrnoException).code === 'EPERM'
      }
    },
  }
}
