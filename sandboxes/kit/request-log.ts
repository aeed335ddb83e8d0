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

/** A request the sandbox has received and not answered yet (a long poll it holds, a latency fault). */
export type InFlightRequest = Pick<LoggedRequest, 'method' | 'path' | 'query' | 'receivedAt'>;

export class RequestLog {
  /** A ring: once full, the newest entry takes the oldest's slot (a splice per request was 4% of a load's sandbox CPU). */
  private entries: LoggedRequest[] = [];
  private oldest = 0;
  private readonly unanswered = new Set<InFlightRequest>();

  constructor(private readonly maxEntries = 10_000) {}

  add(entry: LoggedRequest): void {
    if (this.entries.length < this.maxEntries) {
      this.entries.push(entry);
      return;
    }
    this.entries[this.oldest] = entry;
    this.oldest = (this.oldest + 1) % this.maxEntries;
  }

  list(): LoggedRequest[] {
    return [...this.entries.slice(this.oldest), ...this.entries.slice(0, this.oldest)];
  }

  /** Marks a request received; the returned function marks it answered (it is then logged by add). */
  begin(request: InFlightRequest): () => void {
    this.unanswered.add(request);
    return () => { this.unanswered.delete(request); };
  }

  /** Requests received and not answered yet, oldest first: a test waits on one instead of sleeping. */
  inFlight(): InFlightRequest[] {
    return [...this.unanswered];
  }

  clear(): void {
    this.entries = [];
    this.oldest = 0;
  }
}
