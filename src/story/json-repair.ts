// Models (and OpenAI-compatible local servers without strict decoding) sometimes wrap JSON in
// prose or code fences, leave trailing commas, or stop mid-document at the token limit. This
// recovers the document when the damage is only at its edges; anything worse is left to a re-ask.

export type LenientParse =
  | { ok: true; value: unknown; repaired: boolean }
  | { ok: false; error: string }

// How far back a truncated document may be cut to reach a point where it can be closed.
const MAX_CUT_ATTEMPTS = 64

export function parseLenientJson(text: string): LenientParse {
  const direct = tryParse(text)
  if (direct.ok) return { ok: true, value: direct.value, repaired: false }

  const start = firstContainerStart(text)
  if (start < 0) return { ok: false, error: 'no JSON object in the answer' }
  const body = stripTrailingCommas(balancedPrefix(text.slice(start)))

  const whole = tryParse(body)
  if (whole.ok) return { ok: true, value: whole.value, repaired: true }

  const scan = scanOpen(body)
  if (scan.stack.length === 0) return { ok: false, error: `not valid JSON (${direct.error})` }

  // Truncated: first keep everything (closing an open string), then cut back to earlier boundaries.
  const closedString = scan.inString ? body.replace(/\\$/, '') + '"' : body
  const candidates = [closeContainers(stripTrailingCommas(closedString), scanOpen(closedString).stack)]
  for (const cut of scan.cuts.slice(-MAX_CUT_ATTEMPTS).reverse()) {
    const prefix = body.slice(0, cut.at)
    candidates.push(closeContainers(stripTrailingCommas(prefix), cut.stack))
  }
  for (const candidate of candidates) {
    const parsed = tryParse(candidate)
    if (parsed.ok) return { ok: true, value: parsed.value, repaired: true }
  }
  return { ok: false, error: `not valid JSON and could not be repaired (${direct.error})` }
}

function tryParse(text: string): { ok: true; value: unknown } | { ok: false; error: string } {
  try {
    return { ok: true, value: JSON.parse(text) }
  } catch (err) {
    return { ok: false, error: err instanceof Error ? err.message : String(err) }
  }
}

function firstContainerStart(text: string): number {
  const brace = text.indexOf('{')
  const bracket = text.indexOf('[')
  if (brace < 0) return bracket
  if (bracket < 0) return brace
  return Math.min(brace, bracket)
}

// Calls visit for every character outside string literals (escapes honoured) until it returns false;
// says whether the text ends inside a string.
function outsideStrings(text: string, visit: (ch: string, i: number) => boolean | void): boolean {
  let inString = false
  let escaped = false
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]
    if (inString) {
      if (escaped) escaped = false
      else if (ch === '\\') escaped = true
      else if (ch === '"') inString = false
      continue
    }
    if (ch === '"') inString = true
    else if (visit(ch, i) === false) break
  }
  return inString
}

// Text after the first complete top-level value (a closing fence, "hope this helps") is dropped.
function balancedPrefix(text: string): string {
  let depth = 0
  let end = text.length
  outsideStrings(text, (ch, i) => {
    if (ch === '{' || ch === '[') depth++
    else if (ch === '}' || ch === ']') {
      depth--
      if (depth === 0) {
        end = i + 1
        return false
      }
    }
  })
  return text.slice(0, end)
}

function stripTrailingCommas(text: string): string {
  const drop = new Set<number>()
  outsideStrings(text, (ch, i) => {
    if (ch !== ',') return
    const rest = text.slice(i + 1).trimStart()
    if (rest === '' || rest[0] === '}' || rest[0] === ']') drop.add(i)
  })
  let out = ''
  for (let i = 0; i < text.length; i++) if (!drop.has(i)) out += text[i]
  return out.trimEnd()
}

interface Cut {
  at: number
  stack: string[]
}

// Records the places where the document could end cleanly: just after an opening bracket, or just
// before a comma (everything up to it is complete members).
function scanOpen(text: string): { stack: string[]; inString: boolean; cuts: Cut[] } {
  const stack: string[] = []
  const cuts: Cut[] = []
  const inString = outsideStrings(text, (ch, i) => {
    if (ch === '{' || ch === '[') {
      stack.push(ch === '{' ? '}' : ']')
      cuts.push({ at: i + 1, stack: [...stack] })
    } else if (ch === '}' || ch === ']') stack.pop()
    else if (ch === ',') cuts.push({ at: i, stack: [...stack] })
  })
  return { stack, inString, cuts }
}

function closeContainers(text: string, stack: readonly string[]): string {
  return text + [...stack].reverse().join('')
}
