import type { SpecSource } from '../kit';

/** Marketo's published descriptions (../shared/specs/marketo: AdobeDocs/marketo-apis, Swagger 2.0). */
export const marketoSpec: SpecSource = {
  dir: 'marketo',
  format: 'swagger2',
  files: ['swagger-mapi.json', 'swagger-identity.json'],
  isErrorAnswer: (body) => typeof body === 'object' && body !== null && (body as { success?: unknown }).success === false,
  knownDeviations: [],
};
