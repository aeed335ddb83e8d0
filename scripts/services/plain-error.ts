/**
 * A failure a user can act on, told in one line: what is wrong and what to do. The dev orchestrator
 * and the test stack print its message alone, without a stack trace.
 */
export class PlainError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PlainError';
    this.stack = message; // jest prints `stack` for a failed globalSetup: keep it to the one line
  }
}

export function isPlainError(err: unknown): err is PlainError {
  return err instanceof Error && err.name === 'PlainError';
}
