import { type CatalogDifferences, type CatalogObject, nestedField, readOnlyField, unmapped } from '../kit';

const setByZendesk = (...names: string[]) => names.map(readOnlyField);

/** Tickets, users and job statuses as the Zendesk sandbox presents them (records.ts, jobs.ts). */
export const zendeskCatalog: CatalogObject[] = [
  {
    name: 'tickets',
    fields: [
      ...['external_id', 'type', 'subject', 'description', 'priority', 'status', 'requester_id', 'assignee_id', 'due_at', 'tags', 'custom_fields',
        'recipient', 'organization_id', 'group_id', 'collaborator_ids', 'follower_ids', 'email_cc_ids', 'sharing_agreement_ids', 'ticket_form_id', 'brand_id']
        .map((name) => ({ name })),
      ...setByZendesk('url', 'id', 'created_at', 'updated_at', 'raw_subject', 'submitter_id', 'has_incidents', 'is_public', 'satisfaction_rating',
        'allow_channelback', 'allow_attachments', 'from_messaging_channel'),
      nestedField('via', true),
    ],
  },
  {
    name: 'users',
    fields: [
      ...['name', 'email', 'time_zone', 'phone', 'locale', 'organization_id', 'role', 'external_id', 'tags', 'notes', 'details'].map((name) => ({ name })),
      ...setByZendesk('id', 'url', 'created_at', 'updated_at', 'verified', 'active', 'suspended'),
      nestedField('user_fields'),
    ],
  },
  { name: 'job_statuses', fields: setByZendesk('id', 'url', 'job_type', 'status', 'total', 'progress', 'message', 'results') },
];

export const zendeskCatalogDifferences: CatalogDifferences = {
  sandboxOnlyObjects: { job_statuses: 'the background jobs writes run as' },
  sandboxOnlyFields: {
    tickets: {
      ...unmapped('recipient', 'organization_id', 'group_id', 'collaborator_ids', 'follower_ids', 'email_cc_ids', 'sharing_agreement_ids', 'ticket_form_id',
        'brand_id', 'raw_subject', 'submitter_id', 'has_incidents', 'is_public', 'satisfaction_rating', 'allow_channelback', 'allow_attachments',
        'from_messaging_channel', 'via'),
      url: "the record's URL, derived from its id",
    },
    users: { ...unmapped('locale', 'organization_id', 'verified', 'suspended', 'user_fields'), url: "the record's URL, derived from its id" },
  },
};
