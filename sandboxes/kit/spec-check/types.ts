/**
 * A vendor's published API description, as a sandbox declares it (SandboxDefinition.spec): where it
 * is under ../shared/specs/<dir>/ and how to read it. check.ts holds the sandbox's requests and
 * responses against it; test/helpers/spec-check.ts runs that from tests.
 */
export interface SpecSource {
  /** The folder under ../shared/specs (the system id). */
  dir: string;
  /**
   * openapi3: OpenAPI 3 (request and response schemas); swagger2: Swagger 2.0, converted to
   * OpenAPI 3 in memory; postman: request templates without schemas (method and path only).
   */
  format: 'openapi3' | 'swagger2' | 'postman';
  /** Files (openapi3, swagger2) or folders of request templates (postman), relative to dir. */
  files: string[];
  /** The start of sandbox paths the description leaves to its server URL: '/v1.0' (Graph), '/api' (Slack). */
  pathPrefix?: string;
  /**
   * Makes the description digestible for the validator without loosening what it says about the
   * sandbox's answers (e.g. hyphenated path parameters renamed). On the raw text, then on the parsed document.
   */
  prepareText?(raw: string): string;
  prepare?(document: Record<string, unknown>): void;
  /** String formats the description uses that the validator does not know (checked as any string). */
  formats?: string[];
  /**
   * Form-encoded request bodies: the description types the decoded values (integers, booleans),
   * which a form carries as strings; they are read with type coercion.
   */
  formBodies?: boolean;
  /** The request body (and query) as the description models it, from the raw form (Stripe's nested keys). */
  decodeForm?(raw: string): unknown;
  /** A sandbox path as the description spells it (OData's short action names: /softDelete for /microsoft.graph.softDelete). */
  rewritePath?(path: string): string;
  /** True for an error answered with a success status (Slack's HTTP 200 { ok: false }): checked against the `default` response. */
  isErrorAnswer?(body: unknown): boolean;
  /**
   * Where the sandbox follows the system rather than its description (the description is older,
   * generated, or wrong): requests matching `request` ('METHOD path'), with errors matching `error`
   * (all of them when absent), are accepted for the reason given.
   */
  knownDeviations?: Array<{ request: RegExp; error?: RegExp; why: string }>;
}

/** One request and its answer, as a sandbox recorded it (SandboxOptions.recordExchanges). */
export interface RecordedExchange {
  method: string;
  path: string;
  /** The query string without '?'. */
  query: string;
  requestContentType?: string;
  rawBody: string;
  status: number;
  responseBody: unknown;
}

/** What check.ts takes: an exchange, with the operation named when the caller knows it. */
export interface SpecExchange {
  operationId?: string;
  /** The answer is an error in a success status (SpecSource.isErrorAnswer): the `default` response applies. */
  errorAnswer?: boolean;
  request?: { method: string; path: string; query?: Record<string, string>; body?: unknown; contentType?: string };
  response?: { status: number; body: unknown };
}

export interface SpecVerdict {
  /** The operation checked against (named, or found by method and path). */
  operationId?: string;
  /** METHOD path, when the exchange had a request. */
  request?: string;
  /** Empty when the exchange conforms; 'no operation …' when the description has none for it. */
  errors: string[];
}
