#!/usr/bin/env node
// The `forge` CLI: runs src/cli/main.ts through tsx (a runtime dependency), so no build step is needed.
import { require } from 'tsx/cjs/api';

const { main } = require('../src/cli/main.ts', import.meta.url);
const code = await main(process.argv);
// Exit once stdout has flushed: a keep-alive socket must not hold the process open.
process.stdout.write('', () => process.exit(code));
