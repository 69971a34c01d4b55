import { KitsumyError, type ImageRequest, type Style } from '../contract/index.ts'
import { getStyle } from './styles.ts'

// ComfyUI API-format graph: node id → {class_type, inputs}; a link is [sourceNodeId, outputIndex].
export type ComfyLink = [string, number]
export interface ComfyNode {
  class_type: string
  inputs: Record<string, string | number | boolean | ComfyLink>
  _meta: { title: string }
}
export type ComfyWorkflow = Record<string, ComfyNode>

export const WORKFLOW_TEMPLATES = ['flux-dev', 'flux-dev-lora', 'sdxl', 'sdxl-lora'] as const
export type WorkflowTemplate = (typeof WORKFLOW_TEMPLATES)[number]

// The Flux text encoders and VAE every Flux worker carries next to the UNET.
const FLUX_T5 = 't5xxl_fp8_e4m3fn.safetensors'
const FLUX_CLIP_L = 'clip_l.safetensors'
const FLUX_VAE = 'ae.safetensors'
const LORA_STRENGTH = 0.8

interface Sampling {
  steps: number
  cfg: number
  sampler: string
  scheduler: string
}

// Flux is guidance-distilled (cfg 1, guidance through FluxGuidance); anime checkpoints want a lower cfg than SDXL base.
const SAMPLING: Record<Style['model']['family'], Sampling> = {
  flux: { steps: 24, cfg: 1, sampler: 'euler', scheduler: 'simple' },
  sdxl: { steps: 28, cfg: 6.5, sampler: 'dpmpp_2m', scheduler: 'karras' },
  anime: { steps: 28, cfg: 5, sampler: 'euler_ancestral', scheduler: 'normal' },
  sd15: { steps: 28, cfg: 7, sampler: 'dpmpp_2m', scheduler: 'karras' },
}
const FLUX_GUIDANCE = 3.5

// Latents are 1/8 of the image and Flux packs them 2×2, so sizes go to a multiple of 16.
function latentSize(px: number): number {
  return Math.max(64, Math.round(px / 16) * 16)
}

function node(class_type: string, title: string, inputs: ComfyNode['inputs']): ComfyNode {
  return { class_type, inputs, _meta: { title } }
}

function isTemplate(name: string): name is WorkflowTemplate {
  return (WORKFLOW_TEMPLATES as readonly string[]).includes(name)
}

function fluxGraph(style: Style, request: ImageRequest, withLora: boolean): ComfyWorkflow {
  const s = SAMPLING.flux
  const g: ComfyWorkflow = {
    '1': node('UNETLoader', 'Load Flux UNET', { unet_name: style.model.checkpoint, weight_dtype: 'default' }),
    '2': node('DualCLIPLoader', 'Load T5 + CLIP-L', { clip_name1: FLUX_T5, clip_name2: FLUX_CLIP_L, type: 'flux' }),
    '3': node('VAELoader', 'Load VAE', { vae_name: FLUX_VAE }),
  }
  let model: ComfyLink = ['1', 0]
  if (withLora) {
    g['4'] = node('LoraLoaderModelOnly', 'Style LoRA', { model, lora_name: style.model.lora as string, strength_model: LORA_STRENGTH })
    model = ['4', 0]
  }
  g['5'] = node('CLIPTextEncode', 'Positive prompt', { text: request.prompt, clip: ['2', 0] })
  g['6'] = node('FluxGuidance', 'Guidance', { conditioning: ['5', 0], guidance: FLUX_GUIDANCE })
  // At cfg 1 the sampler ignores the negative branch; Flux steers away through the prompt instead.
  g['7'] = node('ConditioningZeroOut', 'Empty negative', { conditioning: ['5', 0] })
  g['8'] = node('EmptySD3LatentImage', 'Latent', { width: latentSize(request.width), height: latentSize(request.height), batch_size: 1 })
  g['9'] = node('KSampler', 'Sampler', {
    seed: request.seed, steps: s.steps, cfg: s.cfg, sampler_name: s.sampler, scheduler: s.scheduler, denoise: 1,
    model, positive: ['6', 0], negative: ['7', 0], latent_image: ['8', 0],
  })
  g['10'] = node('VAEDecode', 'Decode', { samples: ['9', 0], vae: ['3', 0] })
  g['11'] = node('SaveImage', 'Save', { filename_prefix: `kitsumy_${request.styleId}`, images: ['10', 0] })
  return g
}

function checkpointGraph(style: Style, request: ImageRequest, withLora: boolean): ComfyWorkflow {
  const s = SAMPLING[style.model.family]
  const g: ComfyWorkflow = {
    '1': node('CheckpointLoaderSimple', 'Load checkpoint', { ckpt_name: style.model.checkpoint }),
  }
  let model: ComfyLink = ['1', 0]
  let clip: ComfyLink = ['1', 1]
  if (withLora) {
    g['2'] = node('LoraLoader', 'Style LoRA', {
      model, clip, lora_name: style.model.lora as string, strength_model: LORA_STRENGTH, strength_clip: LORA_STRENGTH,
    })
    model = ['2', 0]
    clip = ['2', 1]
  }
  g['3'] = node('CLIPTextEncode', 'Positive prompt', { text: request.prompt, clip })
  g['4'] = node('CLIPTextEncode', 'Negative prompt', { text: request.negative, clip })
  g['5'] = node('EmptyLatentImage', 'Latent', { width: latentSize(request.width), height: latentSize(request.height), batch_size: 1 })
  g['6'] = node('KSampler', 'Sampler', {
    seed: request.seed, steps: s.steps, cfg: s.cfg, sampler_name: s.sampler, scheduler: s.scheduler, denoise: 1,
    model, positive: ['3', 0], negative: ['4', 0], latent_image: ['5', 0],
  })
  g['7'] = node('VAEDecode', 'Decode', { samples: ['6', 0], vae: ['1', 2] })
  g['8'] = node('SaveImage', 'Save', { filename_prefix: `kitsumy_${request.styleId}`, images: ['7', 0] })
  return g
}

// The graph a ComfyUI worker runs for this request, with the model files named by the request's style.
export function buildWorkflow(templateName: string, request: ImageRequest): ComfyWorkflow {
  if (!isTemplate(templateName)) throw new KitsumyError('bad_input', `Unknown workflow template "${templateName}".`)
  const style = getStyle(request.styleId)
  const withLora = templateName.endsWith('-lora')
  if (withLora && !style.model.lora) throw new KitsumyError('bad_input', `Style "${style.id}" has no LoRA for template "${templateName}".`)
  const isFluxTemplate = templateName.startsWith('flux')
  if (isFluxTemplate !== (style.model.family === 'flux')) {
    throw new KitsumyError('bad_input', `Template "${templateName}" cannot run the ${style.model.family} model of style "${style.id}".`)
  }
  return isFluxTemplate ? fluxGraph(style, request, withLora) : checkpointGraph(style, request, withLora)
}
