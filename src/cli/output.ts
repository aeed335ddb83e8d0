import type { CliError } from './exit-codes';

/** Columns padded to their widest cell, a header row first. */
export function table(headers: string[], rows: Array<Array<string | number | null | undefined>>): string {
  const cells = [headers, ...rows.map((r) => r.map((c) => (c === null || c === undefined ? '' : String(c))))];
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  return cells.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]))).join('  ').trimEnd()).join('\n');
}

/**
 * Where the CLI writes: results on stdout (JSON alone with --json), notes and errors on stderr.
 * Every write is scrubbed of the secrets it was given (the API key), whatever their source.
 */
export class Output {
  private readonly secrets: string[];

  constructor(readonly json: boolean, secrets: Array<string | undefined> = []) {
    this.secrets = secrets.filter((s): s is string => typeof s === 'string' && s.length >= 6);
  }

  addSecret(secret: string): void {
    if (secret.length >= 6) this.secrets.push(secret);
  }

  /** A command's result: the value as JSON with --json, else the human text. */
  result(value: unknown, human: () => string): void {
    const text = this.json ? JSON.stringify(value, null, 2) : human();
    if (text !== '') this.stdout(`${text}\n`);
  }

  /** One JSON value per line (--follow with --json). */
  jsonLine(value: unknown): void {
    this.stdout(`${JSON.stringify(value)}\n`);
  }

  /** A human line on stdout (never with --json). */
  line(text: string): void {
    if (!this.json) this.stdout(`${text}\n`);
  }

  /** A note for a person on stderr (never with --json). */
  note(text: string): void {
    if (!this.json) this.stderr(`${text}\n`);
  }

  error(err: CliError): void {
    this.stderr(`forge: ${err.message}\n`);
    if (this.json) {
      const details = err.details && typeof err.details === 'object' ? err.details : {};
      this.stdout(`${JSON.stringify({ error: { code: err.code, message: err.message, exitCode: err.exitCode, ...details } })}\n`);
    }
  }

  scrub(text: string): string {
    let out = text;
    for (const s of this.secrets) out = out.split(s).join('****');
    return out;
  }

  stdout(text: string): void {
    process.stdout.write(this.scrub(text));
  }

  stderr(text: string): void {
    process.stderr.write(this.scrub(text));
  }
}

/** An error value from an answer (a string, or { message }) as text. */
export function messageOf(error: unknown): string {
  if (!error) return '';
  if (typeof error === 'string') return error;
  const message = (error as { message?: unknown }).message;
  return typeof message === 'string' ? message : JSON.stringify(error);
}
