import type { SpecSource } from '../kit';

/**
 * Atlassian's JIRA Cloud platform REST API v3 description (../shared/specs/jira, version
 * 1001.0.0-SNAPSHOT-57a0ca5b), used as published.
 */
export const jiraSpec: SpecSource = {
  dir: 'jira',
  format: 'openapi3',
  files: ['jira-platform-openapi.v3.json'],
  formats: ['date-time', 'date', 'uri', 'int32', 'int64', 'uuid'],
};
