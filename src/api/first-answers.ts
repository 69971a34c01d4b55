import { FIRST_ANSWERS_ID, FIRST_CALLS_META } from '../contract/page.ts'
import type { Dispatch } from './dispatch.ts'

const CALLS = new RegExp(`<meta name="${FIRST_CALLS_META}" content="([^"]*)"\\s*/?>`)
const ENTITIES: Readonly<Record<string, string>> = { '&quot;': '"', '&#39;': "'", '&lt;': '<', '&gt;': '>', '&amp;': '&' }

// The studio page names the calls its first screen makes before it can draw. For a page whose reader
// holds the token, the server answers them inside the page it sends, so the page need not load, ask and
// wait before drawing. The calls come from the built page itself, never from the request.
export async function withFirstAnswers(page: string, dispatch: Dispatch): Promise<string> {
  const meta = CALLS.exec(page)
  if (!meta) return page
  let calls: unknown
  try {
    calls = JSON.parse(meta[1].replace(/&(?:quot|#39|lt|gt|amp);/g, (entity) => ENTITIES[entity]))
  } catch {
    return page
  }
  if (!Array.isArray(calls)) return page
  const named = calls.filter((call): call is [string, unknown] => Array.isArray(call) && typeof call[0] === 'string')
  const answers = await Promise.all(named.map(async ([name, input]) => [name, input, await dispatch(name, input)]))
  // Inside a script element only "</" or "<!--" could end it early: the JSON spells every "<" as \u003c.
  const json = JSON.stringify(answers).replace(/</g, '\\u003c')
  return page.replace('</head>', `<script type="application/json" id="${FIRST_ANSWERS_ID}">${json}</script></head>`)
}
