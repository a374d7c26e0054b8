// Reads a node:http request body up to 16 KiB, the token handler's own limit, and never buffers
// more: a larger body is answered 413 with `Connection: close` as soon as it is known (from
// Content-Length, or while it arrives), and the rest of it is never read.

/** The largest body read: 16 KiB. */
export const MAX_BODY_BYTES = 16 * 1024;

/**
 * The whole body; `undefined` when it was too large (a 413 has been sent) or the client went away
 * mid-body (nobody to answer).
 *
 * @param {import('node:http').IncomingMessage} req
 * @param {import('node:http').ServerResponse} res
 * @returns {Promise<Buffer | undefined>}
 */
export function readBody(req, res) {
  if (Number(req.headers['content-length'] ?? 0) > MAX_BODY_BYTES) return Promise.resolve(refuse(req, res));
  return new Promise((resolve) => {
    /** @type {Buffer[]} */
    const chunks = [];
    let size = 0;
    const done = () => {
      req.off('data', onData).off('end', onEnd).off('error', onError);
    };
    const onData = (/** @type {Buffer} */ chunk) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
      else {
        done();
        req.pause();
        resolve(refuse(req, res));
      }
    };
    const onEnd = () => {
      done();
      resolve(Buffer.concat(chunks));
    };
    const onError = () => {
      done();
      resolve(undefined);
    };
    req.on('data', onData).on('end', onEnd).on('error', onError);
  });
}

/**
 * Answers 413 and closes the connection without reading on. node:http would close it the moment
 * the answer is written, and a client still sending could meet a reset before reading the answer;
 * so this half-closes it, stops reading, and closes it for good half a second later.
 *
 * @returns {undefined}
 */
function refuse(req, res) {
  const { socket } = req;
  socket.destroySoon = () => {
    socket.end();
    req.pause();
    socket.pause();
    setTimeout(() => socket.destroy(), 500).unref();
  };
  const body = JSON.stringify({
    error: { code: 'ERR_PAYLOAD_TOO_LARGE', message: `The request body is larger than ${MAX_BODY_BYTES} bytes` },
  });
  res
    .writeHead(413, {
      'content-type': 'application/json; charset=utf-8',
      'cache-control': 'no-store',
      'content-length': Buffer.byteLength(body),
      connection: 'close',
    })
    .end(body);
  return undefined;
}
