// node-postgres as one module. The package's build (tsup.pg.config.ts) bundles pg into this
// file, so a command that opens a server reads and compiles one file instead of resolving some
// forty; run from the sources (the tests), it is pg itself.
module.exports = require('pg');
