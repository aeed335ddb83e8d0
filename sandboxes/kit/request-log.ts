/** The API requests a sandbox answered (admin requests are not logged), oldest first. */
export interface LoggedRequest {
  method: string;
  path: string;
  status: number;
  /** The query string without the leading '?', '' when there was none. */
  query: string;
  /** When it was answered, by the sandbox clock. */
  at: string;
  /** When it arrived, by the sandbox clock (before any latency fault). */
  receivedAt: string;
}

export class RequestLog {
  private entries: LoggedRequest[] = [];

  constructor(private readonly maxEntries = 10_000) {}

  add(entry: LoggedRequest): void {
    this.entries.push(entry);
    if (this.entries.length > this.maxEntries) this.entries.splice(0, this.entries.length - this.maxEntries);
  }

  list(): LoggedRequest[] {
    return [...this.entries];
  }

  clear(): void {
    this.entries = [];
  }
}
