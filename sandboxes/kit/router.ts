import type { Route, RouteProbe } from './types';

export interface RouteMatch {
  route: Route;
  params: Record<string, string>;
}

/** Matches `/a/:b/c` patterns segment by segment; literal segments win over parameters. */
export class Router {
  private readonly compiled: { route: Route; segments: string[]; literals: number }[];

  constructor(routes: readonly Route[]) {
    this.compiled = routes
      .map((route) => {
        const segments = splitPath(route.path);
        return { route, segments, literals: segments.filter((s) => !s.startsWith(':')).length };
      })
      .sort((a, b) => b.literals - a.literals);
  }

  /** The first route for the method and path (literal segments first) whose `when`, if any, accepts the probe. */
  match(method: string, path: string, probe?: RouteProbe): RouteMatch | undefined {
    const parts = splitPath(path);
    for (const candidate of this.compiled) {
      if (candidate.route.method !== method.toUpperCase() || candidate.segments.length !== parts.length) continue;
      if (candidate.route.when && (!probe || !candidate.route.when(probe))) continue;
      const params: Record<string, string> = {};
      const ok = candidate.segments.every((segment, i) => {
        const part = parts[i] ?? '';
        if (segment.startsWith(':')) {
          params[segment.slice(1)] = safeDecode(part);
          return part.length > 0;
        }
        return segment === part;
      });
      if (ok) return { route: candidate.route, params };
    }
    return undefined;
  }
}

function splitPath(path: string): string[] {
  return path.split('/').filter((s) => s.length > 0);
}

function safeDecode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}
