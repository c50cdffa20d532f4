#!/usr/bin/env node
// Runs solc-js as if it were the native solc binary, for forge on machines that cannot download
// compilers. forge calls `<solc> --version` and `<solc> --standard-json [--allow-paths ...] < input`.
// Usage: solcjs.cjs <version> [solc args...]   (the version selects the npm alias `solc-<version>`)
'use strict';
const fs = require('fs');
const path = require('path');

const [version, ...args] = process.argv.slice(2);
let solc;
try {
  solc = require(path.join(__dirname, '..', 'node_modules', `solc-${version}`));
} catch (e) {
  process.stderr.write(`solc ${version} is not installed: run contracts/tools/setup.sh (npm ci)\n`);
  process.exit(1);
}

if (args.includes('--version')) {
  // forge parses the "Version:" line; solc-js names its platform Emscripten, forge wants a native one.
  const v = solc.version().replace('Emscripten.clang', 'Linux.g++');
  process.stdout.write(`solc, the solidity compiler commandline interface\nVersion: ${v}\n`);
  process.exit(0);
}
if (!args.includes('--standard-json')) {
  process.stderr.write('this solc wrapper only supports --version and --standard-json\n');
  process.exit(2);
}

// Import paths forge may hand us: --base-path, --include-path, --allow-paths (comma separated).
const roots = [process.cwd()];
for (let i = 0; i < args.length; i++) {
  if (['--base-path', '--include-path'].includes(args[i]) && args[i + 1]) roots.push(args[++i]);
  else if (args[i] === '--allow-paths' && args[i + 1]) roots.push(...args[++i].split(','));
}

function findImports(importPath) {
  const candidates = path.isAbsolute(importPath) ? [importPath] : roots.map((r) => path.join(r, importPath));
  for (const c of candidates) {
    try {
      return { contents: fs.readFileSync(c, 'utf8') };
    } catch (_) { /* try the next root */ }
  }
  return { error: `File not found: ${importPath}` };
}

const input = fs.readFileSync(0, 'utf8');
process.stdout.write(solc.compile(input, { import: findImports }));
