import { objectSpec, type ConnectorDefinition, type ObjectSpec } from '../../src/connectors/contract';
import { connectors } from '../../src/connectors/registry';
import { encodeForm } from '../../src/platform/http';
import type { CatalogDifferences, CatalogObject } from '../../sandboxes/kit';
import { startSandbox } from '../../sandboxes/kit';
import { findSandbox } from '../../sandboxes/registry';
import { fixtures } from '../conformance/fixtures';

// Each sandbox's object catalog (SandboxDefinition.catalog, in its API's names) against its
// connector's ObjectSpecs: a connector that declares an object or field its sandbox does not know
// fails here, and so does a sandbox that serves one its connector does not declare — unless it is
// listed in the sandbox's catalogDifferences with the reason the two differ.

/** The connector's objects: its fixed ObjectSpecs, and one of each run-time-named kind (from its conformance fixture). */
function connectorObjects(def: ConnectorDefinition): Array<{ sandboxName: string; spec: ObjectSpec }> {
  const named = [...def.objects];
  const fixture = Object.hasOwn(fixtures, def.id) ? fixtures[def.id] : undefined;
  for (const o of fixture ? [fixture.primary, ...(fixture.others ?? [])] : []) {
    const spec = objectSpec(def, o.object);
    if (spec && !named.some((n) => n.name === spec.name)) named.push(spec);
  }
  return named.map((spec) => ({ sandboxName: spec.name.split(':')[0], spec }));
}

function compare(def: ConnectorDefinition, catalog: CatalogObject[], diff: CatalogDifferences = {}): string[] {
  const problems: string[] = [];
  const objects = connectorObjects(def);
  for (const { sandboxName, spec } of objects) {
    const known = catalog.find((c) => c.name === sandboxName);
    if (!known) {
      problems.push(`${def.id} declares object ${spec.name}; its sandbox has no ${sandboxName}`);
      continue;
    }
    if (spec.dynamicFields) continue;
    const sandboxField = (name: string) => known.fields.find((f) => f.name === name || (f.nested && name.startsWith(`${f.name}.`)));
    for (const [name, why] of Object.entries(diff.connectorOnlyFields?.[sandboxName] ?? {})) {
      if (!spec.fields.some((f) => f.name === name) || sandboxField(name)) problems.push(`${def.id} ${spec.name}.${name} is listed as unknown to the sandbox (${why}), but it is not`);
    }
    for (const [name, why] of Object.entries(diff.sandboxOnlyFields?.[sandboxName] ?? {})) {
      if (!known.fields.some((f) => f.name === name) || spec.fields.some((f) => f.name === name)) problems.push(`${def.id} sandbox ${sandboxName}.${name} is listed as undeclared (${why}), but it is not`);
    }
    for (const field of spec.fields) {
      const found = sandboxField(field.name);
      if (!found) {
        if (!diff.connectorOnlyFields?.[sandboxName]?.[field.name]) problems.push(`${def.id} ${spec.name}.${field.name}: the sandbox does not know it`);
      } else if (!found.nested && Boolean(found.readOnly) !== Boolean(field.readOnly) && !diff.writableOnOneSide?.[sandboxName]?.[field.name]) {
        problems.push(`${def.id} ${spec.name}.${field.name}: read-only in the ${found.readOnly ? 'sandbox' : 'connector'} only`);
      }
    }
    for (const field of known.fields) {
      const declared = spec.fields.some((f) => f.name === field.name || f.name.startsWith(`${field.name}.`));
      if (!declared && !diff.sandboxOnlyFields?.[sandboxName]?.[field.name]) problems.push(`${def.id} sandbox ${sandboxName}.${field.name}: the connector does not declare it`);
    }
  }
  for (const c of catalog) {
    const standsFor = objects.some((o) => o.sandboxName === c.name) || objectSpec(def, c.name) !== undefined;
    if (!standsFor && !diff.sandboxOnlyObjects?.[c.name]) problems.push(`${def.id} sandbox object ${c.name}: the connector has no such object`);
  }
  for (const kind of Object.keys({ ...diff.connectorOnlyFields, ...diff.sandboxOnlyFields })) {
    if (!catalog.some((c) => c.name === kind)) problems.push(`${def.id}: the differences name ${kind}, which the sandbox does not have`);
  }
  return problems;
}

describe("sandbox catalogs against their connectors' ObjectSpecs", () => {
  for (const def of connectors) {
    it(`${def.id}: every object and field is known on both sides, or its difference is explained`, () => {
      const sandbox = findSandbox(def.id);
      expect(sandbox).toBeDefined();
      const catalog = sandbox!().catalog;
      expect(catalog).toBeDefined();
      expect(compare(def, catalog!, sandbox!().catalogDifferences)).toEqual([]);
    });
  }

  it('fails on a field the sandbox does not know, a field the connector does not declare, and a missing object', () => {
    const hubspot = connectors.find((c) => c.id === 'hubspot')!;
    const catalog = findSandbox('hubspot')!().catalog!;
    const withoutPhone = catalog.map((o) => (o.name === 'contacts' ? { ...o, fields: o.fields.filter((f) => f.name !== 'phone') } : o));
    expect(compare(hubspot, withoutPhone)).toEqual(['hubspot contacts.phone: the sandbox does not know it']);
    const withExtra = catalog.map((o) => (o.name === 'deals' ? { ...o, fields: [...o.fields, { name: 'hs_forecast_amount' }] } : o));
    expect(compare(hubspot, withExtra)).toEqual(['hubspot sandbox deals.hs_forecast_amount: the connector does not declare it']);
    expect(compare(hubspot, catalog.filter((o) => o.name !== 'companies'))).toEqual(['hubspot declares object companies; its sandbox has no companies']);
  });

  it('the hand-written catalogs list every field their sandboxes show (Stripe, Slack, Teams)', async () => {
    const shown = async (system: string, drive: (url: string, credentials: Record<string, string>) => Promise<void>) => {
      const running = await startSandbox(findSandbox(system)!());
      try {
        const { credentials } = running.credentials() as { credentials: Record<string, string> };
        await drive(running.url, credentials);
        const state = (await (await fetch(`${running.url}/__sandbox/state`)).json()) as { objects: Record<string, Array<Record<string, unknown>>> };
        const catalog = running.definition.catalog!;
        return Object.entries(state.objects).flatMap(([object, records]) => records.flatMap((r) => Object.keys(r)
          .filter((k) => !catalog.find((c) => c.name === object)?.fields.some((f) => f.name === k))
          .map((k) => `${system} ${object}.${k}`)));
      } finally {
        await running.stop();
      }
    };
    const stripe = await shown('stripe', async (url, { apiKey }) => {
      const post = async (path: string, form: Record<string, unknown>) => (await (await fetch(`${url}${path}`, {
        method: 'POST', headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/x-www-form-urlencoded' }, body: encodeForm(form),
      })).json()) as { id: string };
      const customer = await post('/v1/customers', { email: 'a@example.com', metadata: { k: 'v' } });
      const product = await post('/v1/products', { name: 'p' });
      await post('/v1/prices', { currency: 'usd', unit_amount: 100, product: product.id, recurring: { interval: 'month' } });
      await post('/v1/invoices', { customer: customer.id });
    });
    const slack = await shown('slack', async (url, { botToken }) => {
      await fetch(`${url}/__sandbox/seed`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ objects: { channels: [{ id: 'C0CAT00001', name: 'c' }] } }) });
      const post = async (args: Record<string, unknown>) => (await (await fetch(`${url}/api/chat.postMessage`, {
        method: 'POST', headers: { authorization: `Bearer ${botToken}`, 'content-type': 'application/json' }, body: JSON.stringify(args),
      })).json()) as { ts: string };
      const parent = await post({ channel: 'C0CAT00001', text: 'p', metadata: { event_type: 't', event_payload: { origin: 'o' } } });
      await post({ channel: 'C0CAT00001', text: 'r', thread_ts: parent.ts });
    });
    const teams = await shown('teams', async (url) => {
      await fetch(`${url}/__sandbox/seed`, {
        method: 'POST', headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ objects: { teams: [{ id: 'T1' }], channels: [{ id: '19:c@thread.tacv2', teamId: 'T1' }], messages: [{ teamId: 'T1', channelId: '19:c@thread.tacv2', content: 'x' }] } }),
      });
    });
    expect([...stripe, ...slack, ...teams]).toEqual([]);
  });
});
