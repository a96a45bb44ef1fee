#!/usr/bin/env node
import { commandOf } from './command-of.js';
import { prefetchSources } from './prefetch.js';
import { chooseWasmTier } from './wasm-tier.js';

// esbuild starts on the config and schema files before the rest of the CLI loads (~20 ms of
// module loading it then runs beside): a big schema's transform is ready when it is needed.
const command = commandOf(process.argv);
chooseWasmTier(command);
prefetchSources(process.argv, command, process.cwd());
const { main } = await import('./program.js');
const code = await main(process.argv);
// Exit as soon as output is flushed: nothing (an embedded database, a pool) may keep the process alive.
process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));
