/** What two or more systems share: a connector imports these rather than writing its own. */
export * from './async-job';
export * from './confirm-delete';
export * from './cursor';
export * from './define';
export * from './dotted';
export * from './error-body';
export * from './errors-in-body';
export * from './json-order';
export * from './keys';
export * from './keyset-cursor';
export * from './objects';
export * from './restore';
export * from './version-token';
export * from './capture-options';
export * from './auth';
export * from './graphql';
export * from './graphql-cost';
