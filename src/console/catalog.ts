import { useEffect, useState } from 'react';
import { api } from './api';
import type { Connection, Connector } from './types';

/** The connector catalog changes only with a gateway deploy: fetched once per sign-in. */
let catalog: Promise<Connector[]> | null = null;

export function connectorCatalog(): Promise<Connector[]> {
  catalog ??= api<{ connectors: Connector[] }>('GET', '/v1/connectors').then((r) => r.connectors).catch((err) => {
    catalog = null;
    throw err;
  });
  return catalog;
}

export function forgetCatalog(): void {
  catalog = null;
}

export function useCatalog(): { connectors?: Connector[]; error?: unknown } {
  const [state, setState] = useState<{ connectors?: Connector[]; error?: unknown }>({});
  useEffect(() => {
    let live = true;
    connectorCatalog().then((connectors) => live && setState({ connectors }), (error) => live && setState({ error }));
    return () => { live = false; };
  }, []);
  return state;
}

export function listConnections(): Promise<Connection[]> {
  return api<{ connections: Connection[] }>('GET', '/v1/connections').then((r) => r.connections);
}

export function connectionLabel(connections: Connection[] | undefined, id: string): string {
  const c = connections?.find((x) => x.id === id);
  return c ? `${c.name} (${c.connector})` : id;
}
