/** A tiny method + path-pattern router; path segments match case-insensitively like ConnectWise's. */
import { CwHttpError } from './cw-errors';

export interface RouteContext {
  params: Record<string, string>;
  url: URL;
  body: unknown;
  /** Request headers (lower-case names), e.g. `pagination-type`. */
  headers: Record<string, string | string[] | undefined>;
}

export interface RouteResult {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

export type Handler = (ctx: RouteContext) => RouteResult;

interface Route {
  method: string;
  regex: RegExp;
  names: string[];
  handler: Handler;
  /** Changes state: persisted after success, eligible for lost-response faults. */
  write: boolean;
}

export class Router {
  private readonly routes: Route[] = [];

  add(method: string, pattern: string, handler: Handler, write = method !== 'GET'): this {
    const names: string[] = [];
    const source = pattern
      .split('/')
      .map((seg) => {
        if (seg.startsWith(':')) {
          names.push(seg.slice(1));
          return '([^/]+)';
        }
        return seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      })
      .join('/');
    this.routes.push({ method, regex: new RegExp(`^${source}/?$`, 'i'), names, handler, write });
    return this;
  }

  match(method: string, path: string): { route: Route; params: Record<string, string> } {
    let pathMatched = false;
    for (const route of this.routes) {
      const m = route.regex.exec(path);
      if (!m) continue;
      pathMatched = true;
      if (route.method !== method) continue;
      const params: Record<string, string> = {};
      route.names.forEach((n, i) => (params[n] = decodeURIComponent(m[i + 1]!)));
      return { route, params };
    }
    if (pathMatched) throw new CwHttpError(405, 'MethodNotAllowed', `The requested resource does not support http method '${method}'.`);
    throw new CwHttpError(404, 'NotFound', `No resource at ${path}`);
  }
}

export function intParam(params: Record<string, string>, name: string): number {
  const n = Number(params[name]);
  if (!Number.isInteger(n) || n < 1) throw new CwHttpError(404, 'NotFound', `Invalid ${name} "${params[name]}"`);
  return n;
}
