import { connectors } from '../../src/connectors/registry';
import { fixtures } from './fixtures';
import { salesforceCdcFixture } from './fixtures/salesforce';
import { runConformance, type Suite } from './runner/suite';

// Every registered connector against its sandbox, through the REST gateway and the real worker:
// the scenario table is runner/suite.ts, each system's fixture fixtures/<id>.ts. All connectors run
// in this one file, side by side, sharing one gateway and one worker (and one worker restart).
// CONFORMANCE=hubspot,stripe runs some of them only.
const only = process.env.CONFORMANCE?.split(',').map((s) => s.trim()).filter(Boolean);
const chosen = connectors.filter((c) => !only || only.includes(c.id));

describe('every registered connector has a conformance fixture', () => {
  for (const connector of chosen) {
    it(connector.id, () => {
      expect({ connector: connector.id, fixture: Object.hasOwn(fixtures, connector.id) ? fixtures[connector.id].connector : 'missing: add test/conformance/fixtures/<id>.ts' })
        .toEqual({ connector: connector.id, fixture: connector.id });
    });
  }
});

const suites = chosen.filter((c) => Object.hasOwn(fixtures, c.id)).map((connector): Suite => ({ connector, fixture: fixtures[connector.id] }));
const salesforce = suites.find((s) => s.connector.id === 'salesforce');
// Salesforce captures two ways: its capture rows run again through Change Data Capture.
if (salesforce && process.env.CONFORMANCE_SALESFORCE_CDC !== '1') suites.push({ connector: salesforce.connector, fixture: salesforceCdcFixture });
runConformance(suites);
