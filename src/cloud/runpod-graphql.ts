import { z } from 'zod'
import { KitsumyError } from '../contract/errors.ts'
import type { Clock } from '../platform/clock.ts'
import { bearer, parseJson, redact, send, statusError, withRetry } from '../art/http.ts'
import type { PodStatus } from './runpod-rest.ts'

// The legacy GraphQL API, kept only for interruptible ("spot") pods, which REST v2 does not rent.
// RunPod plans to retire it in early 2027: everything here sits behind the 'interruptible' capacity class.

const SERVICE = 'RunPod GraphQL'

const GqlResponse = z.object({
  data: z.record(z.string(), z.unknown()).nullable().optional(),
  errors: z.array(z.object({ message: z.string() }).passthrough()).optional(),
})

export const GqlPod = z.object({
  id: z.string().min(1),
  name: z.string().nullable().optional(),
  desiredStatus: z.string(),
  costPerHr: z.number().nullable().optional(),
  runtime: z.object({ uptimeInSeconds: z.number().nullable().optional() }).passthrough().nullable().optional(),
}).passthrough()
export type GqlPod = z.infer<typeof GqlPod>

const RENT = `mutation Rent($input: PodRentInterruptableInput!) {
  podRentInterruptable(input: $input) { id name desiredStatus costPerHr }
}`
const TERMINATE = `mutation Terminate($input: PodTerminateInput!) { podTerminate(input: $input) }`
const POD = `query Pod($input: PodFilter!) {
  pod(input: $input) { id name desiredStatus costPerHr runtime { uptimeInSeconds } }
}`

export interface RentInterruptibleSpec {
  name: string
  imageName: string
  gpuTypeId: string
  gpuCount: number
  bidPerGpu: number
  ports: string[]
  env: Record<string, string>
  cloudType: 'SECURE' | 'COMMUNITY'
  containerDiskInGb: number
}

export interface RunpodGraphqlOptions {
  url: string
  apiKey: string
  clock: Clock
  requestTimeoutMs: number
  retryAttempts?: number
  retryBaseMs?: number
}

// GraphQL reports failures as 200 + errors[]; their wording is all we have to tell "no capacity" from the rest.
export function graphqlError(message: string, secrets: readonly string[]): KitsumyError {
  const text = redact(message.slice(0, 200), secrets)
  const msg = `${SERVICE}: ${text}`
  if (/no longer any instances|not enough|no available|out of stock|capacity|bid/i.test(text)) return new KitsumyError('capacity', msg, { retryable: false })
  if (/balance|insufficient funds|payment/i.test(text)) return new KitsumyError('no_balance', msg)
  if (/unauthori[sz]ed|api key|forbidden/i.test(text)) return new KitsumyError('auth', msg)
  if (/rate limit|too many/i.test(text)) return new KitsumyError('rate_limit', msg)
  return new KitsumyError('bad_response', msg, { retryable: false })
}

// desiredStatus + runtime, read as the REST status the pod manager understands.
export function statusOfGqlPod(pod: GqlPod): PodStatus {
  switch (pod.desiredStatus) {
    case 'RUNNING': return pod.runtime ? 'RUNNING' : 'STARTING'
    case 'EXITED': return 'EXITED'
    case 'TERMINATED': return 'TERMINATED'
    case 'DEAD': return 'ERROR'
    default: return 'PROVISIONING'
  }
}

export class RunpodGraphqlClient {
  private readonly opts: RunpodGraphqlOptions

  constructor(opts: RunpodGraphqlOptions) {
    this.opts = opts
  }

  private async gql(query: string, variables: Record<string, unknown>, idempotent: boolean): Promise<Record<string, unknown>> {
    const secrets = [this.opts.apiKey]
    return withRetry(async () => {
      const call = { url: this.opts.url, method: 'POST' as const, headers: bearer(this.opts.apiKey), json: { query, variables }, timeoutMs: this.opts.requestTimeoutMs, service: SERVICE, secrets }
      const res = await send(call)
      if (res.status < 200 || res.status >= 300) throw statusError(res, call, this.opts.clock.now())
      const body = parseJson(res, GqlResponse, SERVICE)
      if (body.errors?.length) throw graphqlError(body.errors.map((e) => e.message).join('; '), secrets)
      if (!body.data) throw new KitsumyError('bad_response', `${SERVICE}: response without data`)
      return body.data
    }, { clock: this.opts.clock, attempts: this.opts.retryAttempts ?? 4, baseMs: this.opts.retryBaseMs ?? 2_000, maxMs: 60_000, idempotent })
  }

  async rentInterruptible(spec: RentInterruptibleSpec): Promise<GqlPod> {
    const input = {
      name: spec.name,
      imageName: spec.imageName,
      gpuTypeId: spec.gpuTypeId,
      gpuCount: spec.gpuCount,
      bidPerGpu: spec.bidPerGpu,
      cloudType: spec.cloudType,
      containerDiskInGb: spec.containerDiskInGb,
      volumeInGb: 0,
      ports: spec.ports.join(','),
      env: Object.entries(spec.env).map(([key, value]) => ({ key, value })),
    }
    const data = await this.gql(RENT, { input }, false)
    const pod = GqlPod.safeParse(data.podRentInterruptable)
    if (!pod.success) throw new KitsumyError('bad_response', `${SERVICE}: podRentInterruptable returned no pod`)
    return pod.data
  }

  // Terminating a pod RunPod no longer knows is the outcome we want, not an error.
  async terminate(podId: string): Promise<void> {
    try {
      await this.gql(TERMINATE, { input: { podId } }, true)
    } catch (err) {
      if (err instanceof KitsumyError && /not found|does not exist/i.test(err.message)) return
      throw err
    }
  }

  async getPod(podId: string): Promise<GqlPod | null> {
    const data = await this.gql(POD, { input: { podId } }, true)
    if (data.pod === null || data.pod === undefined) return null
    const pod = GqlPod.safeParse(data.pod)
    if (!pod.success) throw new KitsumyError('bad_response', `${SERVICE}: unexpected pod shape`)
    return pod.data
  }
}
