// Serves worker.mjs on 127.0.0.1 with Node as the host, passing process.env as the Worker's env,
// so the module can be tried without wrangler. (`wrangler dev` runs the same file in workerd.)
// Bodies are read to 16 KiB at most, as the token handler reads them: a larger one is a 413.
import { createServer } from 'node:http';
import { readBody } from './read-body.mjs';
import worker from './worker.mjs';

const server = createServer(async (req, res) => {
  const body = await readBody(req, res);
  if (body === undefined) return; // answered 413, or the client left
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    for (const one of Array.isArray(value) ? value : [value ?? '']) headers.append(name, one);
  }
  const request = new Request(new URL(req.url ?? '/', `http://${req.headers.host ?? '127.0.0.1'}`), {
    method: req.method,
    headers,
    body: body.length > 0 ? new Uint8Array(body) : undefined,
  });
  const response = await worker.fetch(request, process.env, { waitUntil() {}, passThroughOnException() {} });
  res.writeHead(response.status, Object.fromEntries(response.headers));
  res.end(Buffer.from(await response.arrayBuffer()));
});

server.listen(Number(process.env.PORT ?? 8787), '127.0.0.1', () => {
  console.log(`listening on http://127.0.0.1:${/** @type {import('node:net').AddressInfo} */ (server.address()).port}`);
});
