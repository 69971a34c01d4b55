// What both shells send with the studio page and the library's images: the page may load only itself
// (no inline or remote script, no plugins, no framing, no form posts); an image is never a document that runs.
export const STUDIO_CSP = [
  "default-src 'self'", "script-src 'self'", "style-src 'self' 'unsafe-inline'", "img-src 'self' data: blob:",
  "font-src 'self' data:", "connect-src 'self'", "object-src 'none'", "base-uri 'none'", "form-action 'none'", "frame-ancestors 'none'",
].join('; ')

export const IMAGE_CSP = "default-src 'none'; style-src 'unsafe-inline'"

export const MIME_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml', '.png': 'image/png', '.woff2': 'font/woff2', '.woff': 'font/woff', '.json': 'application/json',
  '.ttf': 'font/ttf', '.ico': 'image/x-icon', '.jpg': 'image/jpeg', '.webp': 'image/webp',
}
