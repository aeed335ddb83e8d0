import { randomBytes } from 'node:crypto';
import type { SandboxClock } from '../clock';

/** Access tokens issued by a sandbox, with expiry on the sandbox clock. */
export class TokenBook {
  private readonly tokens = new Map<string, { subject: string; expiresAtMs: number }>();

  constructor(
    private readonly clock: SandboxClock,
    private readonly prefix: string,
  ) {}

  issue(subject: string, ttlSeconds: number): { token: string; expiresIn: number } {
    const token = `${this.prefix}${randomBytes(24).toString('base64url')}`;
    this.tokens.set(token, { subject, expiresAtMs: this.clock.nowMs() + ttlSeconds * 1000 });
    return { token, expiresIn: ttlSeconds };
  }

  check(token: string): { status: 'valid'; subject: string } | { status: 'expired' | 'unknown' } {
    const entry = this.tokens.get(token);
    if (!entry) return { status: 'unknown' };
    if (this.clock.nowMs() >= entry.expiresAtMs) return { status: 'expired' };
    return { status: 'valid', subject: entry.subject };
  }

  expireAll(): void {
    for (const entry of this.tokens.values()) entry.expiresAtMs = Number.NEGATIVE_INFINITY;
  }
}

export function randomSecret(prefix: string, bytes = 18): string {
  return `${prefix}${randomBytes(bytes).toString('base64url')}`;
}
