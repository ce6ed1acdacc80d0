import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository's root directory, for paths that the CDK app and the local runtime share. */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
