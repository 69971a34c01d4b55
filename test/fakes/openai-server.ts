import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { hashSeed, seededRandom, type Random } from '../../src/platform/random.ts'

// A loopback OpenAI Chat Completions server. It answers structured-output requests with a JSON
// document generated from the request's own json_schema (deterministic for the same request), and
// can be told to misbehave for the next requests the way the real service does.

export type FakeFault =
  | { kind: 'latency'; ms: number }
  | { kind: 'unauthorized' }
  | { kind: 'rate_limit'; retryAfterSeconds?: number; retryAfterMs?: number; code?: 'rate_limit_exceeded' | 'insufficient_quota' }
  | { kind: 'server_error'; status?: number }
  // Never answers; the request ends when the client gives up or disconnects.
  | { kind: 'timeout' }
  // Prose instead of JSON.
  | { kind: 'malformed' }
  // The right document inside code fences, with a trailing comma and chatter after it.
  | { kind: 'fenced' }
  // Well-formed JSON that misses the schema's first required property.
  | { kind: 'invalid' }
  // Cut short with finish_reason 'length': keep a fraction of the document, or drop its last characters.
  | { kind: 'truncated'; keepFraction?: number; dropChars?: number }
  | { kind: 'refusal'; message?: string }
  // Exactly this assistant content, for answers no other knob produces.
  | { kind: 'content'; content: string; finishReason?: string }

export interface ChatMessageBody {
  role: string
  content: string
}

export interface ChatRequestBody {
  model: string
  messages: ChatMessageBody[]
  response_format?: { type: string; json_schema?: { name: string; strict?: boolean; schema: JsonSchema } }
  seed?: number
  temperature?: number
  max_completion_tokens?: number
}

export interface RecordedRequest {
  method: string
  path: string
  authorization: string | null
  body: ChatRequestBody | null
  // The response_format schema name: which story step was asked for.
  schemaName: string | null
  fault: FakeFault['kind'] | null
  status: number | null
  usage: { prompt_tokens: number; completion_tokens: number } | null
  aborted: boolean
}

export interface FakeOpenAIOptions {
  // When set, any other bearer token gets OpenAI's 401 answer.
  apiKey?: string | null
  latencyMs?: number
}

export interface FakeOpenAI {
  url: string
  // Consumed one per chat request, in order.
  faults: FakeFault[]
  // Added before every answer.
  latencyMs: number
  requests: RecordedRequest[]
  // Forgets requests, faults and latency between tests sharing one server.
  reset(): void
  waitForRequests(count: number, timeoutMs?: number): Promise<void>
  close(): Promise<void>
}

type JsonSchema = {
  type?: string | string[]
  properties?: Record<string, JsonSchema>
  required?: string[]
  additionalProperties?: boolean
  items?: JsonSchema
  anyOf?: JsonSchema[]
  enum?: unknown[]
  pattern?: string
  minItems?: number
  maxItems?: number
  minimum?: number
  description?: string
  [key: string]: unknown
}

// Keywords outside OpenAI's strict-mode subset; the real service refuses a schema that uses them.
const UNSUPPORTED_KEYWORDS = ['minLength', 'maxLength', 'default', 'examples', 'patternProperties', 'if', 'then', 'else']

export async function startFakeOpenAI(options: FakeOpenAIOptions = {}): Promise<FakeOpenAI> {
  const requests: RecordedRequest[] = []
  const waiters: { count: number; resolve: () => void }[] = []
  let sequence = 0

  const fake: FakeOpenAI = {
    url: '',
    faults: [],
    latencyMs: options.latencyMs ?? 0,
    requests,
    reset() {
      requests.length = 0
      fake.faults.length = 0
      fake.latencyMs = options.latencyMs ?? 0
    },
    waitForRequests(count, timeoutMs = 5_000) {
      if (requests.length >= count) return Promise.resolve()
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`fake OpenAI saw ${requests.length} of ${count} requests`)), timeoutMs)
        waiters.push({ count, resolve: () => { clearTimeout(timer); resolve() } })
      })
    },
    close: () => new Promise((resolve) => {
      server.closeAllConnections()
      server.close(() => resolve())
    }),
  }

  const server = createServer((req, res) => {
    void handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { error: { message: String(err), type: 'server_error', param: null, code: null } })
    })
  })

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req)
    const record: RecordedRequest = {
      method: req.method ?? 'GET',
      path: new URL(req.url ?? '/', 'http://fake').pathname,
      authorization: req.headers.authorization ?? null,
      body: null,
      schemaName: null,
      fault: null,
      status: null,
      usage: null,
      aborted: false,
    }
    res.on('close', () => {
      if (!res.writableFinished) record.aborted = true
    })
    requests.push(record)
    for (const w of [...waiters]) {
      if (requests.length >= w.count) {
        waiters.splice(waiters.indexOf(w), 1)
        w.resolve()
      }
    }
    const answer = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      record.status = status
      sendJson(res, status, body, headers)
    }

    if (record.method !== 'POST' || record.path !== '/v1/chat/completions') {
      answer(404, apiError(`Unknown request URL: ${record.method} ${record.path}.`, 'invalid_request_error', 'unknown_url'))
      return
    }
    let body: ChatRequestBody
    try {
      body = JSON.parse(raw) as ChatRequestBody
    } catch {
      answer(400, apiError('We could not parse the JSON body of your request.', 'invalid_request_error', null))
      return
    }
    record.body = body
    record.schemaName = body.response_format?.json_schema?.name ?? null

    const fault = fake.faults.shift() ?? null
    record.fault = fault?.kind ?? null
    const delay = fake.latencyMs + (fault?.kind === 'latency' ? fault.ms : 0)
    if (delay > 0) await sleep(delay)
    if (res.destroyed) return

    const token = record.authorization?.replace(/^Bearer\s+/i, '') ?? ''
    if (fault?.kind === 'unauthorized' || (options.apiKey && token !== options.apiKey)) {
      answer(401, apiError(`Incorrect API key provided: ${maskKey(token)}. You can find your API key at https://platform.openai.com/account/api-keys.`, 'invalid_request_error', 'invalid_api_key'))
      return
    }
    if (fault?.kind === 'rate_limit') {
      const headers: Record<string, string> = {}
      if (fault.retryAfterSeconds !== undefined) headers['retry-after'] = String(fault.retryAfterSeconds)
      if (fault.retryAfterMs !== undefined) headers['retry-after-ms'] = String(fault.retryAfterMs)
      const quota = fault.code === 'insufficient_quota'
      answer(429, apiError(
        quota ? 'You exceeded your current quota, please check your plan and billing details.' : `Rate limit reached for ${body.model} on requests per min (RPM): Limit 3, Used 3, Requested 1.`,
        quota ? 'insufficient_quota' : 'requests', fault.code ?? 'rate_limit_exceeded'), headers)
      return
    }
    if (fault?.kind === 'server_error') {
      const status = fault.status ?? 500
      const message = status === 503 ? 'The engine is currently overloaded, please try again later' : 'The server had an error while processing your request. Sorry about that!'
      answer(status, apiError(message, 'server_error', null))
      return
    }
    if (fault?.kind === 'timeout') return

    if (!Array.isArray(body.messages) || body.messages.length === 0 || typeof body.model !== 'string') {
      answer(400, apiError("Missing required parameter: 'messages'.", 'invalid_request_error', 'missing_required_parameter'))
      return
    }
    const format = body.response_format?.json_schema
    if (format?.strict) {
      const problem = strictSchemaProblem(format.schema, [])
      if (problem) {
        answer(400, apiError(`Invalid schema for response_format '${format.name}': ${problem}`, 'invalid_request_error', 'invalid_json_schema'))
        return
      }
    }

    const rand = seededRandom(hashSeed(JSON.stringify(body.messages) + (format?.name ?? '')))
    const language = /Ukrainian/.test(body.messages.find((m) => m.role === 'system')?.content ?? '') ? 'uk' : 'en'
    const doc = format ? instance(format.schema, { rand, language, counter: 0 }, format.name, null) : null
    let content: string | null = doc === null ? 'This fake answers structured requests: send response_format json_schema.' : JSON.stringify(doc)
    let finishReason = 'stop'
    let refusal: string | null = null
    if (fault?.kind === 'malformed') content = "I'm sorry, I can only tell this story in prose: once upon a time there was a fox."
    if (fault?.kind === 'fenced' && doc !== null) content = '```json\n' + JSON.stringify(doc, null, 2).replace(/\n}$/, ',\n}') + '\n```\nHope this helps!'
    if (fault?.kind === 'invalid' && doc !== null) {
      const [first] = Object.keys(doc as object)
      const { [first]: _dropped, ...rest } = doc as Record<string, unknown>
      content = JSON.stringify(rest)
    }
    if (fault?.kind === 'truncated' && content !== null) {
      const keep = fault.dropChars !== undefined ? content.length - fault.dropChars : Math.floor(content.length * (fault.keepFraction ?? 0.5))
      content = content.slice(0, Math.max(0, keep))
      finishReason = 'length'
    }
    if (fault?.kind === 'content') {
      content = fault.content
      finishReason = fault.finishReason ?? 'stop'
    }
    if (fault?.kind === 'refusal') {
      refusal = fault.message ?? "I'm sorry, I can't help with that."
      content = null
    }

    const promptTokens = Math.ceil(body.messages.reduce((n, m) => n + String(m.content).length, 0) / 4)
    const completionTokens = Math.ceil((content ?? refusal ?? '').length / 4)
    record.usage = { prompt_tokens: promptTokens, completion_tokens: completionTokens }
    answer(200, {
      id: `chatcmpl-fake${++sequence}`,
      object: 'chat.completion',
      created: Math.floor(Date.now() / 1000),
      model: body.model,
      choices: [{ index: 0, message: { role: 'assistant', content, refusal }, logprobs: null, finish_reason: finishReason }],
      usage: { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens },
      system_fingerprint: 'fp_fake',
    })
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return fake
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
    req.on('error', reject)
  })
}

let requestIds = 0

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.destroyed) return
  const text = JSON.stringify(body)
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    'x-request-id': `req_fake${++requestIds}`,
    ...headers,
  })
  res.end(text)
}

function apiError(message: string, type: string, code: string | null) {
  return { error: { message, type, param: null, code } }
}

function maskKey(key: string): string {
  return key.length <= 8 ? '*'.repeat(key.length) : `${key.slice(0, 3)}${'*'.repeat(key.length - 7)}${key.slice(-4)}`
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}

function strictSchemaProblem(schema: JsonSchema, path: string[]): string | null {
  const where = `In context=(${path.map((p) => `'${p}'`).join(', ')})`
  for (const keyword of UNSUPPORTED_KEYWORDS) {
    if (keyword in schema) return `${where}, '${keyword}' is not permitted.`
  }
  if (schema.type === 'object') {
    if (schema.additionalProperties !== false) return `${where}, 'additionalProperties' is required to be supplied and to be false.`
    const props = Object.keys(schema.properties ?? {})
    const missing = props.filter((p) => !(schema.required ?? []).includes(p))
    if (missing.length > 0) return `${where}, 'required' is required to be supplied and to be an array including every key in properties. Missing '${missing[0]}'.`
    for (const p of props) {
      const problem = strictSchemaProblem(schema.properties![p], [...path, 'properties', p])
      if (problem) return problem
    }
  }
  if (schema.items) return strictSchemaProblem(schema.items, [...path, 'items'])
  for (const [i, branch] of (schema.anyOf ?? []).entries()) {
    const problem = strictSchemaProblem(branch, [...path, 'anyOf', String(i)])
    if (problem) return problem
  }
  return null
}

interface GenContext {
  rand: Random
  language: 'en' | 'uk'
  counter: number
}

// Fields the studio asks to be written in the comic's language; everything else stays English.
const LOCALISED = new Set(['title', 'summary', 'arc', 'name', 'role', 'text'])

const WORDS = {
  en: {
    title: ['The Lantern Thief', 'Fox of the Last Train', 'Rain Over Harbour Street', 'The Clockmaker\'s Debt'],
    sentence: ['The city wakes under a copper sky.', 'A promise made long ago comes due.', 'Nobody expected the fox to speak.', 'The storm hides more than rain.'],
    name: ['Mira', 'Jonah', 'Ada', 'Rook', 'Tess', 'Ilya'],
    role: ['the reluctant hero', 'a loyal friend', 'the rival', 'the mentor'],
    text: ['We have to go now!', 'Did you hear that?', 'I knew you would come back.', 'Not another step.', 'Look, the lights!'],
  },
  uk: {
    title: ['Крадій ліхтарів', 'Лисиця з останнього потяга', 'Дощ над Портовою вулицею', 'Борг годинникаря'],
    sentence: ['Місто прокидається під мідним небом.', 'Давня обіцянка настає до сплати.', 'Ніхто не чекав, що лисиця заговорить.', 'Буря ховає більше, ніж дощ.'],
    name: ['Мирослава', 'Тарас', 'Олена', 'Богдан', 'Соломія', 'Остап'],
    role: ['неохочий герой', 'вірний друг', 'суперник', 'наставник'],
    text: ['Нам треба йти зараз!', 'Ти це чув?', 'Я знала, що ти повернешся.', 'Ані кроку далі.', 'Дивись, вогні!'],
  },
}

const ENGLISH_DETAIL: Record<string, string[]> = {
  scene: ['A rain-soaked alley at night, neon signs reflecting in puddles.', 'A crowded train platform at dawn, steam rising.', 'A cluttered clockmaker\'s workshop lit by one lamp.', 'A rooftop above the harbour under a stormy sky.'],
  face: ['Round face, freckles, green eyes, small scar on the chin.', 'Angular face, dark brown eyes, thick eyebrows.', 'Oval face, pale skin, grey eyes, a mole under the left eye.'],
  hair: ['Short copper hair, messy fringe.', 'Long black hair in a single braid.', 'Silver buzz cut.'],
  build: ['Tall and wiry.', 'Short and sturdy.', 'Average height, athletic.'],
  outfit: ['Yellow raincoat over a grey hoodie, red boots.', 'Dark green wool coat, brass buttons, leather satchel.', 'Patched denim jacket, striped scarf.'],
  colors: ['mustard yellow', 'slate grey', 'brick red', 'teal', 'ivory', 'navy'],
}

// Items of one list (colours, arc beats) walk the word bank from a random start, so they differ.
function pickFrom<T>(rand: Random, items: readonly T[], slot: Slot | null): T {
  return slot ? items[(slot.offset + slot.index) % items.length] : items[Math.floor(rand() * items.length)]
}

function text(name: string, ctx: GenContext, slot: Slot | null): string {
  if (LOCALISED.has(name)) {
    const words = WORDS[ctx.language]
    if (name === 'title') return pickFrom(ctx.rand, words.title, slot)
    if (name === 'name') return pickFrom(ctx.rand, words.name, slot)
    if (name === 'role') return pickFrom(ctx.rand, words.role, slot)
    if (name === 'text') return pickFrom(ctx.rand, words.text, null)
    return `${pickFrom(ctx.rand, words.sentence, slot)} ${pickFrom(ctx.rand, words.sentence, null)}`
  }
  return pickFrom(ctx.rand, ENGLISH_DETAIL[name] ?? ENGLISH_DETAIL.scene, name === 'colors' ? slot : null)
}

interface Slot {
  index: number
  offset: number
}

function instance(schema: JsonSchema, ctx: GenContext, name: string, slot: Slot | null): unknown {
  if (schema.anyOf) {
    const branch = schema.anyOf.find((b) => b.type !== 'null') ?? schema.anyOf[0]
    return instance(branch, ctx, name, slot)
  }
  if (schema.enum) {
    return slot ? schema.enum[(slot.offset + slot.index) % schema.enum.length] : pickFrom(ctx.rand, schema.enum, null)
  }
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type
  switch (type) {
    case 'object':
      // An object in a list hands its place down, so an enum field (a panel ref) walks its values.
      return Object.fromEntries(Object.entries(schema.properties ?? {}).map(([key, sub]) => [key, instance(sub, ctx, key, slot)]))
    case 'array': {
      const item = schema.items ?? {}
      const min = schema.minItems ?? 0
      let max = schema.maxItems ?? 8
      // Lists drawn from an enum (characters in a panel, panel refs) never repeat an entry.
      if (item.enum) max = Math.max(min, Math.min(max, item.enum.length))
      const count = min === max ? min : Math.max(min, Math.min(max, 2 + Math.floor(ctx.rand() * 3)))
      const offset = Math.floor(ctx.rand() * 64)
      return Array.from({ length: count }, (_, index) => instance(item, ctx, name, { index, offset }))
    }
    case 'string': {
      if (schema.pattern) {
        const slug = `${name.toLowerCase().replace(/[^a-z0-9]/g, '') || 'id'}${++ctx.counter}`
        return new RegExp(schema.pattern).test(slug) ? slug : 'x'
      }
      return text(name, ctx, slot)
    }
    case 'integer':
    case 'number':
      return schema.minimum ?? slot?.index ?? 0
    case 'boolean':
      return true
    default:
      return null
  }
}
