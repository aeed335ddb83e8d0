import { randomUUID } from 'node:crypto';
import { ConnectorError } from '../../platform/errors';
import type { HttpClient } from '../../platform/http';
import { SESSION_SLOT, type SageIntacctCredentials } from './auth';
import { SYSTEM } from './errors';
import { buildRequest, parseResponse, type FunctionResult, type IntacctFunction } from './xml';

/**
 * One POST to the XML gateway carrying several functions, each answered by its own <result>
 * (matched back by controlid). Control and authentication failures are thrown by the HTTP
 * client's classify (errors.ts); function failures are returned for the caller to map to records.
 */
export class IntacctGateway {
  private sender?: Promise<SageIntacctCredentials>;

  constructor(private readonly http: HttpClient, private readonly credentials: () => Promise<SageIntacctCredentials>) {}

  async run(functions: IntacctFunction[]): Promise<FunctionResult[]> {
    if (functions.length === 0) return [];
    this.sender ??= this.credentials();
    const { senderId, senderPassword } = await this.sender;
    const res = await this.http.request<string>({
      method: 'POST', path: '', headers: { 'content-type': 'application/xml' },
      body: buildRequest({ senderId, senderPassword, controlId: randomUUID(), authentication: { sessionid: SESSION_SLOT }, functions }),
    });
    const answer = parseResponse(res.body);
    if (!answer) throw new ConnectorError({ kind: 'transient', system: SYSTEM, status: res.status, message: `sage-intacct answered HTTP ${res.status} without an XML <response>` });
    const byControlId = new Map(answer.results.map((r) => [r.controlId, r]));
    return functions.map((f) => {
      const result = byControlId.get(f.controlId);
      if (!result) throw new ConnectorError({ kind: 'transient', system: SYSTEM, message: `sage-intacct answered no <result> for function ${f.controlId}` });
      return result;
    });
  }
}
