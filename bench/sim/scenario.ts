// The economics scenario of issue 6. Fixed: these numbers are the question, not knobs to tune.
export const SCENARIO = {
  dayHours: 24,
  rates: [10, 100, 500],
  seeds: [1, 2, 3, 4, 5],
  imagesPerComic: 40,
  pod: {
    usdPerHour: 0.44,
    bootSeconds: { min: 240, max: 300 },
    secondsPerImage: 12,
    maxPods: 8,
    // The interruptible class costs the same; it is preempted after an exponential time (mean 2 h), 5 s notice.
    preemptionMeanSeconds: 7_200,
    noticeSeconds: 5,
  },
  serverless: {
    usdPerSecond: 0.00034,
    secondsPerImage: 12,
    coldStartSeconds: { min: 15, max: 45 },
    idleSeconds: 5,
    maxWorkers: 5,
  },
  replicate: { usdPerImage: 0.025, secondsPerImage: 6, concurrency: 10 },
  levels: {
    urgent: { firstPanelP95: 60, finishP95: 300 },
    relaxed: { firstPanelP95: null, finishP95: 1_800 },
  },
  // The fixed rule: a comic of more than 20 images boots a pod and waits for it; 5 min idle shutdown.
  fixedRule: { minImages: 20, idleSeconds: 300 },
  hindsight: {
    alwaysOnPods: [0, 1, 2, 3, 4, 5, 6, 7, 8],
    idleSeconds: [60, 300, 900, 1_800],
  },
} as const

export type Level = keyof typeof SCENARIO.levels
export const LEVELS: readonly Level[] = ['urgent', 'relaxed']

// The naive floor: every image at the pod's per-second price, as if a pod were always busy and never booted.
export const FLOOR_USD_PER_COMIC = SCENARIO.imagesPerComic * SCENARIO.pod.secondsPerImage * SCENARIO.pod.usdPerHour / 3600
