import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { measureColdStarts, printColdStarts } from './support/cold-start.ts';

/** `npm run bench:cold-start`: bundle sizes and module init times of the hot-path functions, against their SDK floors. */
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
printColdStarts(await measureColdStarts(repoRoot, path.join(tmpdir(), 'portico-cold-start')));
