// One command as an HTTP request: POST /api/<command> with the bearer token and a JSON body.
export function postCommand(doFetch: typeof fetch, baseUrl: string, token: string, name: string, input: unknown): Promise<Response> {
  return doFetch(new URL(`/api/${name}`, baseUrl).href, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(input ?? {}),
  })
}
