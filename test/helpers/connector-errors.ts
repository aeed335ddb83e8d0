import { isConnectorError, type ConnectorError } from '../../src/platform/errors';

/** The ConnectorError a promise rejects with (any other outcome fails the test). */
export async function failureOf(promise: Promise<unknown>): Promise<ConnectorError> {
  try {
    await promise;
  } catch (err) {
    if (isConnectorError(err)) return err;
    throw err;
  }
  throw new Error('expected a ConnectorError');
}
