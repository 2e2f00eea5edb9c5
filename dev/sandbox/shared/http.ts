/** Small node:http helpers the sandboxes share: body reading, JSON replies, socket bookkeeping. */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

export async function readBody(req: IncomingMessage, limitBytes = 20 * 1024 * 1024): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limitBytes) throw new Error('request body too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(status, {
    ...(text ? { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text).toString() } : {}),
    ...headers,
  });
  res.end(text);
}

/**
 * Sandbox admin routes change state, so a request that changes anything must say
 * `Content-Type: application/json`: a web page can send a form or text/plain to localhost without
 * asking (a "simple" cross-origin request), but never JSON. Undefined means allowed.
 */
export function adminRequestProblem(method: string, contentType: string | undefined): string | undefined {
  if (method === 'GET' || method === 'HEAD') return undefined;
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (type === 'application/json') return undefined;
  return `Sandbox admin requests take Content-Type: application/json only (got ${type || 'none'}), so a web page cannot call them`;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Track open sockets so close() does not wait for held or keep-alive connections
 * (lost-response faults deliberately keep sockets open).
 */
export function trackSockets(server: Server): { destroyAll(): void } {
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  return {
    destroyAll() {
      for (const s of sockets) s.destroy();
    },
  };
}

/** Listen on host:port (0 = a free port) and resolve with the port actually bound. */
export function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const address = server.address();
      if (address && typeof address === 'object') resolve(address.port);
      else reject(new Error('server has no address'));
    });
  });
}
