import { resolve } from 'node:path'
import { defineConfig } from 'electron-vite'
import react from '@vitejs/plugin-react'

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
        // renderer/main.tsx starts the app with a dynamic import so its early requests go out first;
        // preloading that chunk and its imports from the HTML keeps the import from costing a round trip.
        name: 'kitsumy-preload-app',
        apply: 'build',
        transformIndexHtml: {
          order: 'post',
          handler: (_html: string, ctx: { bundle?: Record<string, { type: string; imports?: string[] }>; chunk?: { fileName: string; dynamicImports: string[] } }) => {
            const { bundle, chunk } = ctx
            if (!bundle || !chunk) return []
            const files = new Set<string>([chunk.fileName])
            const add = (file: string): void => {
              const out = bundle[file]
              if (files.has(file) || out?.type !== 'chunk') return
              files.add(file)
              for (const dep of out.imports ?? []) add(dep)
            }
            for (const file of chunk.dynamicImports) add(file)
            files.delete(chunk.fileName)
            return [...files].map((file) => ({ tag: 'link', attrs: { rel: 'modulepreload', crossorigin: true, href: `./${file}` }, injectTo: 'head' as const }))
          },
        },
      },
    ],
    build: {
      outDir: resolve('out/renderer'),
      emptyOutDir: true,
      // electron-vite leaves bundles unminified; this page is also served to browsers, and parse time is first-view time.
      minify: true,
      rollupOptions: { input: { index: resolve('renderer/index.html') } },
    },
  },
})
