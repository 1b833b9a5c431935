/**
 * SHA-1 in hex, with node:crypto loaded on first use: a start that hashes nothing (`--version`,
 * `--help`) does not pay the milliseconds of loading it.
 */
import { createRequire } from 'node:module';

let crypto: typeof import('node:crypto') | undefined;

export function sha1(data: string | Uint8Array): string {
  crypto ??= createRequire(import.meta.url)('node:crypto') as typeof import('node:crypto');
  return crypto.createHash('sha1').update(data).digest('hex');
}
