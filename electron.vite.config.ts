import { resolve } from 'node:path'
import { defineConfig } from 'electron-vite'
import react from '@vitejs/plugin-react'
import { DEFAULT_FIRST_CALLS } from './renderer/client/firstCalls.ts'
import { FIRST_CALLS_META } from './src/contract/page.ts'

interface ModuleGraph {
  getModuleInfo(id: string): { importedIds: readonly string[]; dynamicImporters: readonly string[] } | null
}

function staticClosure(graph: ModuleGraph, from: string): Set<string> {
  const seen = new Set<string>()
  const visit = (id: string): void => {
    if (seen.has(id)) return
    seen.add(id)
    for (const dep of graph.getModuleInfo(id)?.importedIds ?? []) visit(dep)
  }
  visit(from)
  return seen
}

// What the app needs for its first screen goes into two chunks, its libraries (vendor) and its own code
// (boot), instead of the handful of shared fragments the lazy screens would otherwise cut it into: fewer
// requests, and two large scripts the browser parses side by side off the main thread. What the tiny
// entry (main.tsx) imports stays in the entry, which must run before anything else has loaded. What the
// first screen's own code loads later stays out of them, even where a static import that tree-shaking
// drops also reaches it (src/i18n/index.ts names every catalog; the renderer loads all but the fallback
// when first used).
let firstScreen: Set<string> | null = null
function firstScreenChunk(id: string, graph: ModuleGraph): string | null {
  if (!firstScreen) {
    const entry = staticClosure(graph, resolve('renderer/main.tsx'))
    firstScreen = new Set([...staticClosure(graph, resolve('renderer/boot.tsx'))].filter((m) => !entry.has(m)))
  }
  if (!firstScreen.has(id) || graph.getModuleInfo(id)?.dynamicImporters.some((m) => firstScreen?.has(m))) return null
  return id.includes('node_modules') ? 'vendor' : 'boot'
}

// Shaped after electron-vite's own template: main and preload for Node, the renderer as a plain web app
// (the same build is served by `kitsumy serve` to a browser).
export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      rollupOptions: { input: { index: resolve('electron/main.ts') } },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      rollupOptions: {
        input: { index: resolve('electron/preload.ts') },
        // A sandboxed preload cannot load ES modules.
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: 'renderer',
    base: './',
    plugins: [
      // The dev server's React Refresh preamble is an inline script and HMR needs a websocket;
      // the built page keeps the strict policy from renderer/index.html.
      {
        name: 'kitsumy-dev-csp',
        apply: 'serve',
        transformIndexHtml: {
          order: 'pre',
          handler: (html: string) => html.replace("script-src 'self'", "script-src 'self' 'unsafe-inline'").replace("connect-src 'self'", "connect-src 'self' ws: http://localhost:* http://127.0.0.1:*"),
        },
      },
      react(),
      {
        // `kitsumy serve` answers the calls named here inside the page (src/api/first-answers.ts).
        name: 'kitsumy-first-calls',
        transformIndexHtml: () => [{ tag: 'meta', attrs: { name: FIRST_CALLS_META, content: JSON.stringify(DEFAULT_FIRST_CALLS) }, injectTo: 'head' as const }],
      },
      {
        // renderer/main.tsx starts the app with a dynamic import so its early requests go out first;
        // preloading that chunk and its imports from the HTML keeps the import from costing a round trip.
        // They are asked for ahead of the entry and the stylesheet, largest first: the server answers in
        // the order asked, and the largest takes longest to parse, so it is the one the app waits for.
        name: 'kitsumy-preload-app',
        apply: 'build',
        transformIndexHtml: {
          order: 'post',
          handler: (html: string, ctx: { bundle?: Record<string, { type: string; code?: string; imports?: string[] }>; chunk?: { fileName: string; dynamicImports: string[] } }) => {
            const { bundle, chunk } = ctx
            if (!bundle || !chunk) return html
            const files = new Set<string>([chunk.fileName])
            const add = (file: string): void => {
              const out = bundle[file]
              if (files.has(file) || out?.type !== 'chunk') return
              files.add(file)
              for (const dep of out.imports ?? []) add(dep)
            }
            for (const file of chunk.dynamicImports) add(file)
            files.delete(chunk.fileName)
            const size = (file: string): number => bundle[file]?.code?.length ?? 0
            const links = [...files].sort((a, b) => size(b) - size(a)).map((file) => `<link rel="modulepreload" crossorigin href="./${file}">\n    `).join('')
            const entry = html.indexOf('<script type="module"')
            return entry < 0 ? html : html.slice(0, entry) + links + html.slice(entry)
          },
        },
      },
    ],
    build: {
      outDir: resolve('out/renderer'),
      emptyOutDir: true,
      // electron-vite leaves bundles unminified; this page is also served to browsers, and parse time is first-view time.
      minify: true,
      rollupOptions: {
        input: { index: resolve('renderer/index.html') },
        output: { codeSplitting: { groups: [{ name: firstScreenChunk, includeDependenciesRecursively: false }] } },
      },
    },
  },
})
