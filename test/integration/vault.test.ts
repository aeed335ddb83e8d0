import vault from 'node-vault';
import { testStack, uniqueName } from '../helpers/stack';

const stack = testStack();
const vaultAddress = stack.vault.address;
if (!vaultAddress) {
  // The one allowed skip: no Vault-API server could be built on this machine.
  console.warn(`Vault-backed tests skipped: ${'reason' in stack.vault ? stack.vault.reason : 'unknown'}`);
}
const describeWithVault = vaultAddress ? describe : describe.skip;

describeWithVault('KV v2 on the real Vault dev server through node-vault', () => {
  it('writes a secret and reads the same value and version back', async () => {
    const client = vault({ apiVersion: 'v1', endpoint: vaultAddress!, token: (stack.vault as { token: string }).token });
    const path = `secret/data/forge-test/${uniqueName('conn')}`;
    const written = await client.write(path, { data: { apiKey: 'value-1', nested: { a: 1 } } });
    expect(written.data.version).toBe(1);
    const read = await client.read(path);
    expect(read.data.data).toEqual({ apiKey: 'value-1', nested: { a: 1 } });
    expect(read.data.metadata.version).toBe(1);
    await client.write(path, { data: { apiKey: 'value-2' } });
    expect((await client.read(path)).data.metadata.version).toBe(2);
  });
});
