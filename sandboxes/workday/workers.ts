import type { StoredRecord } from '../kit';
import type { Fields } from './payroll-inputs';

/**
 * Common v1 workers, as GET /workers and /workers/{ID} show them. Stored fields: workerId,
 * descriptor (the worker's name), businessTitle, primaryWorkEmail, primaryWorkPhone, isManager,
 * primarySupervisoryOrganization { id, descriptor }.
 */
export function presentWorker(record: Pick<StoredRecord, 'id' | 'fields'>, href: (path: string) => string): Fields {
  const f = record.fields;
  const org = typeof f.primarySupervisoryOrganization === 'object' && f.primarySupervisoryOrganization !== null
    ? f.primarySupervisoryOrganization as Fields : null;
  return {
    id: record.id,
    descriptor: f.descriptor ?? '',
    href: href(`/workers/${record.id}`),
    workerId: f.workerId ?? null,
    businessTitle: f.businessTitle ?? null,
    primaryWorkEmail: f.primaryWorkEmail ?? null,
    primaryWorkPhone: f.primaryWorkPhone ?? null,
    isManager: f.isManager ?? false,
    primarySupervisoryOrganization: org ? { id: org.id, descriptor: org.descriptor ?? '', href: href(`/supervisoryOrganizations/${String(org.id)}`) } : null,
  };
}
