import fs from 'node:fs';
import path from 'node:path';
import { repoRoot } from './services/paths';

/**
 * `npm run new-connector -- <id>`: lays out a new system's connector folder and sandbox from
 * scripts/templates/connector, and prints what to do next. It registers nothing: a connector joins
 * the registries (and so the conformance suite) when its author adds the two lines it prints.
 */
const TEMPLATES = path.join(repoRoot, 'scripts', 'templates', 'connector');

const FILES: Array<[template: string, target: (id: string) => string]> = [
  ['connector-index.ts.tmpl', (id) => `src/connectors/${id}/index.ts`],
  ['connector-objects.ts.tmpl', (id) => `src/connectors/${id}/objects.ts`],
  ['connector-api.ts.tmpl', (id) => `src/connectors/${id}/api.ts`],
  ['sandbox-index.ts.tmpl', (id) => `sandboxes/${id}/index.ts`],
];

export function connectorNames(id: string): { id: string; name: string; Name: string } {
  const parts = id.split('-');
  const name = parts[0] + parts.slice(1).map((p) => p[0].toUpperCase() + p.slice(1)).join('');
  return { id, name, Name: name[0].toUpperCase() + name.slice(1) };
}

export function render(template: string, names: ReturnType<typeof connectorNames>): string {
  return template.replaceAll('__id__', names.id).replaceAll('__name__', names.name).replaceAll('__Name__', names.Name);
}

/** Writes the skeleton under `root`; refuses an id that is not lower-case kebab or a folder that exists. */
export function generateConnector(id: string, root = repoRoot): string[] {
  if (!/^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/.test(id)) throw new Error(`connector id "${id}" must be lower-case letters and digits, words joined by "-" (e.g. sage-intacct)`);
  const names = connectorNames(id);
  const targets = FILES.map(([template, target]) => [template, path.join(root, target(id))] as const);
  const existing = targets.filter(([, file]) => fs.existsSync(path.dirname(file)) && fs.existsSync(file)).map(([, f]) => path.relative(root, f));
  if (existing.length > 0) throw new Error(`${existing.join(', ')} already exist: nothing was written`);
  for (const [template, file] of targets) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, render(fs.readFileSync(path.join(TEMPLATES, template), 'utf8'), names));
  }
  return targets.map(([, f]) => path.relative(root, f));
}

function main(): void {
  const id = process.argv[2];
  if (!id) {
    process.stderr.write('usage: npm run new-connector -- <id>   (e.g. npm run new-connector -- zendesk)\n');
    process.exit(2);
  }
  try {
    const written = generateConnector(id);
    const { name } = connectorNames(id);
    process.stdout.write([
      `wrote ${written.join(', ')}`,
      '',
      'Next (README "Adding a system"):',
      `  1. describe the objects in src/connectors/${id}/objects.ts and the endpoints in api.ts (build on src/connectors/kit)`,
      `  2. make sandboxes/${id} answer as the vendor documents (cite the pages and API version)`,
      `  3. add the conformance fixture test/conformance/fixtures/${id}.ts`,
      `  4. register: src/connectors/registry.ts  ->  ${name}Connector,`,
      `               sandboxes/registry.ts       ->  '${id}': () => ${name}Sandbox(),`,
      '  5. npm test: the conformance suite now runs every scenario against it',
      '',
    ].join('\n'));
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
    process.exit(1);
  }
}

if (require.main === module) main();
