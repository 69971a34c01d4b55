// How `kitsumy serve` and the studio page agree on the first screen's answers: the built page names the
// calls its first screen makes in a meta tag, and the server, for a reader who holds the token, puts the
// answers in a JSON script element (src/api/first-answers.ts, renderer/client/early.ts).
export const FIRST_CALLS_META = 'kitsumy-first-calls'
export const FIRST_ANSWERS_ID = 'kitsumy-first-answers'
