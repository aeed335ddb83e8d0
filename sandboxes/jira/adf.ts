/**
 * Atlassian Document Format (developer.atlassian.com/cloud/jira/platform/apis/document/structure):
 * a rich-text value is `{ type: 'doc', version: 1, content: [nodes] }`, each node `{ type, ... }`.
 * The sandbox checks that shape (not every node type's schema): enough to refuse what JIRA refuses
 * most often, a plain string where a document belongs.
 */
export const NOT_ADF_MESSAGE = 'Operation value must be an Atlassian Document (see the Atlassian Document Format)';

export function isAdfDocument(value: unknown): boolean {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const doc = value as Record<string, unknown>;
  return doc.type === 'doc' && doc.version === 1 && Array.isArray(doc.content) && doc.content.every(isNode);
}

function isNode(node: unknown): boolean {
  if (typeof node !== 'object' || node === null || Array.isArray(node)) return false;
  const n = node as Record<string, unknown>;
  if (typeof n.type !== 'string' || n.type === '') return false;
  if (n.type === 'text' && typeof n.text !== 'string') return false;
  return n.content === undefined || (Array.isArray(n.content) && n.content.every(isNode));
}
