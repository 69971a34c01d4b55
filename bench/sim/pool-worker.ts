import { parentPort } from 'node:worker_threads'
import { runTask } from './tasks.ts'
import type { Task } from './tasks.ts'

parentPort!.on('message', (msg: { id: number; task: Task }) => {
  runTask(msg.task).then(
    (result) => parentPort!.postMessage({ id: msg.id, result }),
    (err: unknown) => parentPort!.postMessage({ id: msg.id, error: err instanceof Error ? err.stack ?? err.message : String(err) }),
  )
})
