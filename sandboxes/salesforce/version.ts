/** The REST API version this sandbox follows (Winter '25). Requests name it as /services/data/v62.0/. */
export const API_VERSION = '62.0';
/** sObject Collections: at most 200 records per create/update/upsert/delete call. */
export const COLLECTION_LIMIT = 200;
/** sObject Collections retrieve: at most 2,000 ids per call. */
export const RETRIEVE_LIMIT = 2000;
/** SOQL: records per page of a query (Sforce-Query-Options batchSize 200..2000). */
export const DEFAULT_QUERY_BATCH = 2000;
