// Serves code-server with the packaged .vsix installed and demo/ open, until Ctrl-C.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
require('tsx/cjs');
const { startCodeServer, demoWorkspace } = require('../test/harness/index.ts');

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const vsix = join(root, `${manifest.name}-${manifest.version}.vsix`);

const server = await startCodeServer({
  workspace: demoWorkspace,
  copyWorkspace: false,
  vsix,
  name: 'demo',
  port: process.env.DEMO_PORT ? Number(process.env.DEMO_PORT) : undefined,
});
console.log(`\nMLflow for VS Code is running with the demo workspace. Open:\n\n  ${server.workbenchUrl()}\n`);
console.log(`(server log: ${server.logFile}; press Ctrl-C to stop)`);

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  await server.stop();
  process.exit(0);
};
process.removeAllListeners('SIGINT');
process.removeAllListeners('SIGTERM');
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
// Keep running until stopped.
setInterval(() => undefined, 1 << 30);
