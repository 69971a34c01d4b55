import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { SimPodCloud } from './providers.ts'

export interface PodWorkerServer {
  // For CloudSettings.urls.podProxy: the pod manager's ComfyClient reaches each pod's worker here.
  proxyTemplate: string
  // For CloudSettings.urls.runpodRest: only the orphan reaper and the termination retry would call it.
  restUrl: string
  close(): Promise<void>
}

// Each simulated pod's ComfyUI health endpoint on real loopback HTTP, so the real pod manager's worker
// checks (ComfyClient.health → GET /system_stats with our token) run unchanged.
export async function startPodWorkerServer(cloud: SimPodCloud, token: string): Promise<PodWorkerServer> {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://sim')
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' })
      res.end(JSON.stringify(body))
    }
    const health = /^\/pods\/([^/]+)\/system_stats$/.exec(url.pathname)
    if (health && req.method === 'GET') {
      if (req.headers.authorization !== `Bearer ${token}`) return json(401, { error: 'bad worker token' })
      if (!cloud.healthy(decodeURIComponent(health[1]))) return json(502, { error: 'pod not reachable' })
      return json(200, { system: { comfyui_version: 'sim' }, devices: [{ name: 'NVIDIA A40', vram_total: 48e9, vram_free: 40e9 }] })
    }
    if (url.pathname === '/rest/pods' && req.method === 'GET') return json(200, [])
    if (/^\/rest\/pods\/[^/]+$/.test(url.pathname) && req.method === 'DELETE') {
      cloud.terminate(decodeURIComponent(url.pathname.split('/').pop()!))
      res.writeHead(204).end()
      return
    }
    json(404, { error: 'not found' })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return {
    proxyTemplate: `${base}/pods/{podId}`,
    restUrl: `${base}/rest`,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections()
      server.close(() => resolve())
    }),
  }
}
