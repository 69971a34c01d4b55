import { KitsumyError } from '../contract/errors.ts'
import type { RunpodGraphqlClient } from './runpod-graphql.ts'
import { statusOfGqlPod } from './runpod-graphql.ts'
import type { CreatePodSpec, PodStatus, RunpodRestClient } from './runpod-rest.ts'
import type { CapacityClass } from './settings.ts'

// One door for renting, watching and ending a pod, whichever API the capacity class needs.
export interface PodBackend {
  readonly capacityClass: CapacityClass
  create(spec: CreatePodSpec): Promise<{ id: string; costPerHr: number | null }>
  // null once RunPod no longer knows the pod.
  status(id: string): Promise<PodStatus | null>
  terminate(id: string): Promise<void>
}

export function onDemandBackend(rest: RunpodRestClient): PodBackend {
  return {
    capacityClass: 'on-demand',
    async create(spec) {
      const pod = await rest.createPod(spec)
      return { id: pod.id, costPerHr: pod.cost ?? null }
    },
    async status(id) {
      return (await rest.getPod(id))?.status ?? null
    },
    terminate: (id) => rest.terminatePod(id),
  }
}

// Interruptible pods live only in the legacy GraphQL API; a GPU type without a bid is skipped like one without capacity.
export function interruptibleBackend(graphql: RunpodGraphqlClient, bidFor: (gpuTypeId: string) => number | null): PodBackend {
  return {
    capacityClass: 'interruptible',
    async create(spec) {
      const bid = bidFor(spec.gpuTypeId)
      if (bid === null) throw new KitsumyError('capacity', `No spot price known for ${spec.gpuTypeId}; set a bid to rent it interruptible`, { retryable: false })
      const pod = await graphql.rentInterruptible({
        name: spec.name,
        imageName: spec.image,
        gpuTypeId: spec.gpuTypeId,
        gpuCount: spec.gpuCount,
        bidPerGpu: bid,
        ports: spec.ports,
        env: spec.env,
        cloudType: spec.cloud,
        containerDiskInGb: spec.diskGb,
      })
      return { id: pod.id, costPerHr: pod.costPerHr ?? bid * spec.gpuCount }
    },
    async status(id) {
      const pod = await graphql.getPod(id)
      return pod ? statusOfGqlPod(pod) : null
    },
    terminate: (id) => graphql.terminate(id),
  }
}
