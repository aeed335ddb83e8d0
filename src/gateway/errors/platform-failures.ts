import { HttpStatus } from '@nestjs/common';
import type { Logger } from 'pino';
import { redact } from '../../platform/credentials/redact';
import { isConnectorError, type ErrorKind } from '../../platform/errors';
import { serviceUnavailable, type ApiError } from './api-error';

/**
 * How the gateway answers the platform's failures that reach a service (the credential store or
 * the database refusing a write, a connector's call failing), so every service says them the same
 * way. Errors nobody catches are the exception filter's (api-exception.filter.ts).
 */

/** A failure's message for a log or an answer, with every known secret masked. */
export function failureReason(err: unknown): string {
  return redact(err instanceof Error ? err.message : String(err));
}

/** Where in the log a storage failure goes: the ids it concerns and what could not be done. */
export interface StorageFailure {
  context: Record<string, string>;
  logMessage: string;
  /** What the caller is told (503 storage_unavailable): what was not stored, never the cause. */
  answer: string;
}

/** A write to the credential store or the database failed: its cause is logged, the caller gets 503 storage_unavailable. */
export function storageUnavailable(logger: Logger, err: unknown, failure: StorageFailure): ApiError {
  logger.error({ ...failure.context, err: failureReason(err) }, failure.logMessage);
  return serviceUnavailable('storage_unavailable', failure.answer);
}

/** The error kind of a connector's failure; one it did not classify counts as transient. */
export function connectorFailureKind(err: unknown): ErrorKind {
  return isConnectorError(err) ? err.kind : 'transient';
}

/** The status for a connector's failure passed on to a caller: its refusal (permanent) is the request's fault, anything else the system's. */
export function connectorFailureStatus(err: unknown): number {
  return connectorFailureKind(err) === 'permanent' ? HttpStatus.BAD_REQUEST : HttpStatus.BAD_GATEWAY;
}
