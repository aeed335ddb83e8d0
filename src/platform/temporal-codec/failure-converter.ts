import { DefaultFailureConverter } from '@temporalio/common';

/**
 * Failure messages and stack traces move into an encoded attributes payload, so the payload codec
 * encrypts them too (vendor body snippets in failure messages are never stored in clear). Loaded by
 * path (DataConverter.failureConverterPath) by the worker, its workflow bundle and the clients.
 */
export const failureConverter = new DefaultFailureConverter({ encodeCommonAttributes: true });
