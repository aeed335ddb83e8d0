import { type CatalogDifferences, type CatalogObject, nestedField, readOnlyField } from '../kit';

/**
 * Issues and versions as the JIRA sandbox keeps them. References (project, issuetype, priority,
 * assignee, status) are objects in JIRA's API (`project.key`, `issuetype.name`): a connector's
 * dotted fields reach into them. Custom fields (customfield_NNNNN) are a site's own, described at run time.
 */
export const jiraCatalog: CatalogObject[] = [
  {
    name: 'issues',
    fields: [
      readOnlyField('id'), readOnlyField('key'), readOnlyField('created'), readOnlyField('updated'),
      nestedField('project'), nestedField('issuetype'), nestedField('priority'), nestedField('assignee'), nestedField('status', true),
      { name: 'summary' }, { name: 'description' }, { name: 'labels' }, { name: 'duedate' },
    ],
  },
  {
    name: 'versions',
    fields: [readOnlyField('self'), readOnlyField('id'), { name: 'name' }, { name: 'description' }, { name: 'archived' }, { name: 'released' },
      { name: 'startDate' }, { name: 'releaseDate' }, { name: 'projectId' }],
  },
];

export const jiraCatalogDifferences: CatalogDifferences = { sandboxOnlyFields: { versions: { self: "the version's URL, derived from its id" } } };
