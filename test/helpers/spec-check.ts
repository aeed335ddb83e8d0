import { execFile, execFileSync } from 'node:child_process';
import path from 'node:path';
import type { RecordedExchange, SpecExchange, SpecSource, SpecVerdict } from '../../sandboxes/kit';

const root = path.resolve(__dirname, '../..');

const CHECKER = [process.execPath, ['--import', 'tsx', path.join(root, 'sandboxes/kit/spec-check/check.ts')]] as const;
const CHECKER_OPTIONS = { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, cwd: root } as const;

/**
 * Holds exchanges against the system's published API description (its sandbox's
 * SandboxDefinition.spec, read from ../shared/specs in place) and answers a verdict per exchange.
 * It runs sandboxes/kit/spec-check/check.ts in a plain Node process: openapi-backend's ESM
 * dependencies load there but not in jest's CommonJS runtime.
 */
export function checkAgainstSpec(system: string, exchanges: SpecExchange[]): SpecVerdict[] {
  const out = execFileSync(...CHECKER, { ...CHECKER_OPTIONS, input: JSON.stringify({ system, exchanges }), stdio: ['pipe', 'pipe', 'pipe'] });
  return JSON.parse(out) as SpecVerdict[];
}

/**
 * checkAgainstSpec without blocking the caller's event loop while the check runs (seconds: a tsx
 * start and a description parsed), for a test whose process also serves the gateway and sandboxes
 * of other scenarios running at the same time (the conformance suite).
 */
export function checkAgainstSpecInBackground(system: string, exchanges: SpecExchange[]): Promise<SpecVerdict[]> {
  return new Promise((resolve, reject) => {
    const child = execFile(...CHECKER, CHECKER_OPTIONS, (err, stdout, stderr) => {
      if (err) reject(new Error(`the spec check of ${system} failed: ${err.message}\n${stderr}`));
      else resolve(JSON.parse(stdout) as SpecVerdict[]);
    });
    child.stdin?.end(JSON.stringify({ system, exchanges }));
  });
}

/**
 * A sandbox's recorded exchanges (SandboxOptions.recordExchanges) as the description sees them:
 * only those under the description's server path, paths without that prefix and spelled as the
 * description does, queries as records, bodies decoded.
 */
export function specExchanges(source: SpecSource, recorded: RecordedExchange[]): SpecExchange[] {
  const prefix = source.pathPrefix ?? '';
  return recorded.filter((x) => x.path.startsWith(prefix)).map((x) => {
    const path = x.path.slice(prefix.length) || '/';
    const form = source.decodeForm ?? ((raw: string) => Object.fromEntries(new URLSearchParams(raw)));
    let body: unknown;
    if (x.rawBody !== '') {
      if (/x-www-form-urlencoded/i.test(x.requestContentType ?? '')) body = form(x.rawBody);
      else {
        try {
          body = JSON.parse(x.rawBody);
        } catch {
          body = x.rawBody;
        }
      }
    }
    return {
      request: {
        method: x.method,
        path: source.rewritePath ? source.rewritePath(path) : path,
        query: form(x.query) as Record<string, string>,
        ...(body === undefined ? {} : { body }),
        ...(x.requestContentType ? { contentType: x.requestContentType } : {}),
      },
      response: { status: x.status, body: x.responseBody },
      ...(source.isErrorAnswer?.(x.responseBody) ? { errorAnswer: true } : {}),
    };
  });
}

/** The errors of verdicts that no known deviation of the description accounts for, by request. */
export function unexplained(source: SpecSource, verdicts: SpecVerdict[]): string[] {
  const out = new Set<string>();
  for (const v of verdicts) {
    for (const error of v.errors) {
      const explained = (source.knownDeviations ?? []).some((d) => d.request.test(v.request ?? '') && (!d.error || d.error.test(error)));
      if (!explained) out.add(`${v.request ?? v.operationId}: ${error}`);
    }
  }
  return [...out];
}
