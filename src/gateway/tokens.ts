// Nest injection tokens for the gateway's shared providers.
export const CONFIG = Symbol('CONFIG');
export const PG_POOL = Symbol('PG_POOL');
export const TEMPORAL_CONNECTION = Symbol('TEMPORAL_CONNECTION');
export const TEMPORAL_CLIENT = Symbol('TEMPORAL_CLIENT');
export const CREDENTIAL_STORE = Symbol('CREDENTIAL_STORE');
export const GATEWAY_LOGGER = Symbol('GATEWAY_LOGGER');
export const PAYLOAD_CODEC = Symbol('PAYLOAD_CODEC');
