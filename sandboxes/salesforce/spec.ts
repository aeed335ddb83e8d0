import type { SpecSource } from '../kit';

/** Salesforce's Postman request templates (../shared/specs/salesforce/postman): methods and paths, no schemas. */
export const salesforceSpec: SpecSource = {
  dir: 'salesforce/postman',
  format: 'postman',
  files: ['auth', 'bulk_v2', 'composite', 'query', 'records', 'rest'],
  knownDeviations: [
    { request: /^(PATCH|DELETE) \/services\/data\/v[\d.]+\/composite\/sobjects$/,
      why: 'sObject Collections update and delete are PATCH and DELETE /composite/sobjects (REST API guide, resources_composite_sobjects_collections_*); the templates add an sObject segment' },
    { request: /^PATCH \/services\/data\/v[\d.]+\/composite\/sobjects\/\w+\/\w+$/,
      why: 'upsert by an External ID field (PATCH /composite/sobjects/<sObject>/<field>, API 46.0+) has no template in the collection' },
    { request: /^POST \/cometd\/\d+\.0$/,
      why: "the Streaming API's CometD endpoint (Change Data Capture) is not a REST resource and has no template; it follows the Streaming API Developer Guide (README)" },
  ],
};
