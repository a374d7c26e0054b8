// Serves worker.mjs on 127.0.0.1 with Node as the host, passing process.env as the Worker's env,
// so the module can be tried without wrangler. (`wrangler dev` runs the same file in workerd.)
import { createServer } from 'node:http';
import worker from './worker.mjs';

const server = createServer(async (req, res) => {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  const body = Buffer.concat(chunks);
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    for (const one of Array.isArray(value) ? value : [value ?? '']) headers.append(name, one);
  }
  const request = new Request(new URL(req.url ?? '/', `http://${req.headers.host ?? '127.0.0.1'}`), {
    method: req.method,
    headers,
    body: body.length > 0 ? body : undefined,
  });
  const response = await worker.fetch(request, process.env, { waitUntil() {}, passThroughOnException() {} });
  res.writeHead(response.status, Object.fromEntries(response.headers));
  res.end(Buffer.from(await response.arrayBuffer()));
});

server.listen(Number(process.env.PORT ?? 8787), '127.0.0.1', () => {
  console.log(`listening on http://127.0.0.1:${/** @type {import('node:net').AddressInfo} */ (server.address()).port}`);
});
