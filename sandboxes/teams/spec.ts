import type { SpecSource } from '../kit';

/**
 * Microsoft Graph's OpenAPI description cut to Teams (../shared/specs/teams), made digestible
 * without loosening what the sandbox answers:
 * - hyphenated path parameters ({team-id}) are renamed ({team_id}): openapi-backend cannot extract them;
 * - '@odata.type' is dropped from `required`: the generated description requires it on every
 *   entity, while Graph sends it only for derived types.
 */
export const teamsSpec: SpecSource = {
  dir: 'teams',
  format: 'openapi3',
  files: ['graph-v1.0-teams-subset.json'],
  pathPrefix: '/v1.0',
  prepareText: (raw) => raw
    .replace(/\{([A-Za-z0-9]+)-([A-Za-z0-9-]+)\}/g, (_m, a: string, b: string) => `{${a}_${b.replace(/-/g, '_')}}`)
    .replace(/"name": "([A-Za-z0-9]+)-([A-Za-z0-9-]+)"/g, (_m, a: string, b: string) => `"name": "${a}_${b.replace(/-/g, '_')}"`),
  prepare: (document) => {
    const visit = (node: unknown): void => {
      if (Array.isArray(node)) {
        node.forEach(visit);
        return;
      }
      if (!node || typeof node !== 'object') return;
      const schema = node as Record<string, unknown>;
      if (Array.isArray(schema.required)) schema.required = schema.required.filter((r) => r !== '@odata.type');
      Object.values(schema).forEach(visit);
    };
    visit(document);
  },
  formats: ['date-time', 'base64url', 'uuid', 'duration', 'date', 'time'],
  // Graph takes bound actions and functions by their short names too, as its documentation writes them.
  rewritePath: (path) => path.replace(/\/(softDelete|undoSoftDelete)$/, '/microsoft.graph.$1').replace(/\/delta$/, '/microsoft.graph.delta()'),
  knownDeviations: [
    { request: /^PATCH \/teams\/[^/]+\/channels\/[^/]+\/messages\/[^/]+(\/replies\/[^/]+)?$/, error: /^\/ must be object/,
      why: 'Graph answers 204 No Content to an update (learn.microsoft.com, "Update chatMessage"); the generated description claims a chatMessage body' },
    { request: /\/messages\/microsoft\.graph\.delta\(\)$/, error: /^\/path must have required property/,
      why: 'not the sandbox: the validator cannot take path parameters out of a path that ends in a function call, microsoft.graph.delta()' },
  ],
};
