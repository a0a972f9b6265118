#!/usr/bin/env node
// The svcmap command line. It runs the compiled code; `npm run build` (or npm start / npm test) compiles it.
const { existsSync } = require('node:fs');
const { join } = require('node:path');
const entry = join(__dirname, '..', 'dist', 'src', 'cli', 'main.js');
if (!existsSync(entry)) {
  process.stderr.write('svcmap: not built yet; run `npm run build` in the svcmap folder first\n');
  process.exit(2);
}
require(entry).main(process.argv.slice(2)).then((code) => process.exit(code));
