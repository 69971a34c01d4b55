import { describe, expect, it } from 'vitest'
import { XMLParser, XMLValidator } from 'fast-xml-parser'
import { ImageRequest, KitsumyError, Style, STYLE_FAMILIES, STYLE_IDS, type StyleId } from '../../src/contract/index.ts'
import { getStyle, STYLES, stylesByFamily } from '../../src/styles/styles.ts'
import { styleSwatchSvg } from '../../src/styles/swatch.ts'
import { buildWorkflow, WORKFLOW_TEMPLATES, type ComfyWorkflow } from '../../src/styles/workflows.ts'

// Output slots and required inputs of the ComfyUI node classes the templates use (from ComfyUI's nodes.py).
const NODE_CLASSES: Record<string, { outputs: number; inputs: string[] }> = {
  CheckpointLoaderSimple: { outputs: 3, inputs: ['ckpt_name'] },
  LoraLoader: { outputs: 2, inputs: ['model', 'clip', 'lora_name', 'strength_model', 'strength_clip'] },
  LoraLoaderModelOnly: { outputs: 1, inputs: ['model', 'lora_name', 'strength_model'] },
  UNETLoader: { outputs: 1, inputs: ['unet_name', 'weight_dtype'] },
  DualCLIPLoader: { outputs: 1, inputs: ['clip_name1', 'clip_name2', 'type'] },
  VAELoader: { outputs: 1, inputs: ['vae_name'] },
  CLIPTextEncode: { outputs: 1, inputs: ['text', 'clip'] },
  FluxGuidance: { outputs: 1, inputs: ['conditioning', 'guidance'] },
  ConditioningZeroOut: { outputs: 1, inputs: ['conditioning'] },
  EmptyLatentImage: { outputs: 1, inputs: ['width', 'height', 'batch_size'] },
  EmptySD3LatentImage: { outputs: 1, inputs: ['width', 'height', 'batch_size'] },
  KSampler: { outputs: 1, inputs: ['model', 'seed', 'steps', 'cfg', 'sampler_name', 'scheduler', 'positive', 'negative', 'latent_image', 'denoise'] },
  VAEDecode: { outputs: 1, inputs: ['samples', 'vae'] },
  SaveImage: { outputs: 0, inputs: ['images', 'filename_prefix'] },
}

function requestFor(styleId: StyleId, over: Partial<ImageRequest> = {}): ImageRequest {
  return ImageRequest.parse({
    prompt: 'Medium shot, waist up. A fox detective in the rain', negative: getStyle(styleId).negative, seed: 123456789,
    width: 770, height: 515, styleId, references: [],
    subject: { shot: 'medium', scene: 'A fox detective in the rain', characters: [] },
    ...over,
  })
}

function links(graph: ComfyWorkflow): Array<{ from: string; to: string; slot: number; input: string }> {
  return Object.entries(graph).flatMap(([to, node]) => Object.entries(node.inputs).flatMap(([input, v]) =>
    Array.isArray(v) ? [{ from: String(v[0]), to, slot: Number(v[1]), input }] : []))
}

describe('the style catalogue', () => {
  it('has the 20 styles of the contract, each valid, 5 per family in family order', () => {
    expect(STYLES.map((s) => s.id)).toEqual([...STYLE_IDS])
    for (const s of STYLES) expect(Style.parse(s)).toEqual(s)
    const families = STYLES.map((s) => s.family)
    expect(families).toEqual(STYLE_FAMILIES.flatMap((f) => Array(5).fill(f)))
    const grouped = stylesByFamily()
    expect(Object.keys(grouped)).toEqual([...STYLE_FAMILIES])
    for (const f of STYLE_FAMILIES) expect(grouped[f].map((s) => s.family)).toEqual(Array(5).fill(f))
  })

  it('gives every style a unique name, its own palette, recipe and negative prompt', () => {
    expect(new Set(STYLES.map((s) => s.name)).size).toBe(20)
    expect(new Set(STYLES.map((s) => s.palette.join())).size).toBe(20)
    expect(new Set(STYLES.map((s) => s.prompt)).size).toBe(20)
    for (const s of STYLES) {
      expect(s.palette.length).toBeGreaterThanOrEqual(4)
      expect(s.negative).toMatch(/text/)
      expect(s.prompt.length).toBeGreaterThan(40)
    }
  })

  it('maps families to fitting model presets', () => {
    for (const s of stylesByFamily().realistic) expect(s.model.family).toBe('flux')
    for (const s of stylesByFamily().comic) {
      expect(s.model.family).toBe('sdxl')
      expect(s.model.lora).toMatch(/\.safetensors$/)
    }
    for (const s of stylesByFamily().manga) expect(s.model.family).toBe('anime')
    for (const s of STYLES) {
      expect(WORKFLOW_TEMPLATES).toContain(s.model.workflow)
      expect(s.model.hosted).toMatch(/^black-forest-labs\/flux-(dev|schnell)$/)
      expect(s.model.workflow.endsWith('-lora')).toBe(s.model.lora !== null)
    }
  })

  it('answers unknown style ids with bad_input', () => {
    expect(() => getStyle('no-such-style')).toThrow(KitsumyError)
    try {
      getStyle('no-such-style')
    } catch (e) {
      expect((e as KitsumyError).code).toBe('bad_input')
    }
  })
})

describe('ComfyUI workflows', () => {
  it.each(STYLES.map((s) => [s.id, s.model.workflow] as const))('%s builds a connected %s graph', (styleId, template) => {
    const style = getStyle(styleId)
    const request = requestFor(styleId)
    const graph = buildWorkflow(template, request)
    for (const [id, node] of Object.entries(graph)) {
      const cls = NODE_CLASSES[node.class_type]
      expect(cls, `${id} ${node.class_type}`).toBeDefined()
      for (const input of cls.inputs) expect(node.inputs, `${node.class_type}.${input}`).toHaveProperty(input)
    }
    for (const link of links(graph)) {
      expect(graph[link.from], `${link.to}.${link.input} → ${link.from}`).toBeDefined()
      expect(link.slot).toBeLessThan(NODE_CLASSES[graph[link.from].class_type].outputs)
    }
    // Everything feeds the one SaveImage, and there are no cycles.
    const saves = Object.entries(graph).filter(([, n]) => n.class_type === 'SaveImage')
    expect(saves).toHaveLength(1)
    const reached = new Set<string>()
    const visit = (id: string, path: Set<string>): void => {
      expect(path.has(id)).toBe(false)
      reached.add(id)
      for (const l of links(graph).filter((x) => x.to === id)) visit(l.from, new Set([...path, id]))
    }
    visit(saves[0][0], new Set())
    expect(reached.size).toBe(Object.keys(graph).length)

    const nodes = Object.values(graph)
    const sampler = nodes.find((n) => n.class_type === 'KSampler')
    expect(sampler?.inputs.seed).toBe(request.seed)
    const latent = nodes.find((n) => n.class_type.startsWith('Empty'))
    expect(Number(latent?.inputs.width) % 16).toBe(0)
    expect(Number(latent?.inputs.height) % 16).toBe(0)
    expect(nodes.filter((n) => n.class_type === 'CLIPTextEncode').map((n) => n.inputs.text)).toContain(request.prompt)
    if (style.model.family === 'flux') {
      expect(nodes.map((n) => n.class_type)).toEqual(expect.arrayContaining(['UNETLoader', 'DualCLIPLoader', 'FluxGuidance', 'VAELoader']))
      expect(nodes.find((n) => n.class_type === 'UNETLoader')?.inputs.unet_name).toBe(style.model.checkpoint)
    } else {
      expect(nodes.find((n) => n.class_type === 'CheckpointLoaderSimple')?.inputs.ckpt_name).toBe(style.model.checkpoint)
      expect(nodes.filter((n) => n.class_type === 'CLIPTextEncode').map((n) => n.inputs.text)).toContain(request.negative)
    }
    const lora = nodes.find((n) => n.class_type.startsWith('LoraLoader'))
    expect(lora?.inputs.lora_name ?? null).toBe(style.model.lora)
  })

  it('refuses templates that do not fit the style or do not exist', () => {
    const code = (f: () => unknown) => {
      try {
        f()
      } catch (e) {
        return (e as KitsumyError).code
      }
      return null
    }
    expect(code(() => buildWorkflow('nope', requestFor('shonen')))).toBe('bad_input')
    expect(code(() => buildWorkflow('sdxl-lora', requestFor('shonen')))).toBe('bad_input')
    expect(code(() => buildWorkflow('flux-dev', requestFor('pop-art')))).toBe('bad_input')
    expect(code(() => buildWorkflow('sdxl', requestFor('cinematic-photo')))).toBe('bad_input')
    // A LoRA style can still run its base model without the LoRA.
    expect(Object.values(buildWorkflow('sdxl', requestFor('pop-art'))).some((n) => n.class_type === 'LoraLoader')).toBe(false)
  })
})

describe('style swatches', () => {
  it('draws a valid, self-contained SVG per style with its palette', () => {
    const parser = new XMLParser({ ignoreAttributes: false })
    const seen = new Set<string>()
    for (const s of STYLES) {
      const svg = styleSwatchSvg(s.id)
      expect(XMLValidator.validate(svg)).toBe(true)
      const doc = parser.parse(svg)
      expect(doc.svg['@_viewBox']).toBe('0 0 160 100')
      expect(svg).not.toMatch(/<text|<image|href=/)
      expect(svg.replace('http://www.w3.org/2000/svg', '')).not.toMatch(/https?:/)
      for (const colour of s.palette) expect(svg).toContain(colour)
      // Every url(#…) points at a definition inside the same SVG.
      for (const [, id] of svg.matchAll(/url\(#([^)]+)\)/g)) expect(svg).toContain(`id="${id}"`)
      seen.add(svg)
    }
    expect(seen.size).toBe(20)
  })

  it('shows each family\'s line treatment', () => {
    expect(styleSwatchSvg('classic-noir')).toMatch(/<pattern[^>]+rotate\(45\)/)
    expect(styleSwatchSvg('shonen')).toMatch(/<pattern[^>]*><circle/)
    const inkWidth = (id: StyleId) => Math.max(...[...styleSwatchSvg(id).matchAll(/stroke-width="([\d.]+)" stroke-linejoin/g)].map((m) => Number(m[1])))
    expect(inkWidth('modern-superhero')).toBeGreaterThan(2 * inkWidth('cinematic-photo'))
    expect(styleSwatchSvg('modern-superhero')).toMatch(/<pattern[^>]+rotate\(20\)"><circle/)
    expect(styleSwatchSvg('cinematic-photo')).toMatch(/opacity="\.22"/)
  })
})
