import { Worker } from 'node:worker_threads'
import type { Task, TaskResult } from './tasks.ts'

// Runs tasks on `threads` worker threads, longest first; results come back in task order.
export async function runPool(tasks: readonly Task[], threads: number, onDone?: (done: number, total: number) => void): Promise<TaskResult[]> {
  const results: TaskResult[] = new Array(tasks.length)
  let next = 0
  let done = 0
  const workers = Array.from({ length: Math.max(1, Math.min(threads, tasks.length)) }, () => new Worker(new URL('./pool-worker.ts', import.meta.url)))
  try {
    await Promise.all(workers.map((worker) => new Promise<void>((resolve, reject) => {
      const feed = () => {
        if (next >= tasks.length) return resolve()
        const id = next++
        worker.postMessage({ id, task: tasks[id] })
      }
      worker.on('message', (msg: { id: number; result?: TaskResult; error?: string }) => {
        if (msg.error !== undefined) return reject(new Error(`task ${JSON.stringify(tasks[msg.id])} failed: ${msg.error}`))
        results[msg.id] = msg.result!
        onDone?.(++done, tasks.length)
        feed()
      })
      worker.on('error', reject)
      feed()
    })))
  } finally {
    await Promise.all(workers.map((w) => w.terminate()))
  }
  return results
}
