#!/usr/bin/env node
import { main } from './program.js';

const code = await main(process.argv);
// Exit as soon as output is flushed: nothing (an embedded database, a pool) may keep the process alive.
process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));
