// Disk-backed ProjectFiles for the CLI and tests; the language server layers open buffers over it.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { ProjectFiles } from './types';

export function nodeProjectFiles(dir: string): ProjectFiles {
  const resolve = (relativePath: string) => path.resolve(dir, relativePath);
  return {
    async exists(relativePath) {
      try {
        await fs.stat(resolve(relativePath));
        return true;
      } catch {
        return false;
      }
    },
    async readText(relativePath) {
      try {
        return await fs.readFile(resolve(relativePath), 'utf8');
      } catch {
        return undefined;
      }
    },
  };
}
