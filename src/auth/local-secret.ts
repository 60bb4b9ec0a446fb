/**
 * A development secret generated once into the data directory (mode 0600) and read back on every
 * start, so what it signs survives restarts. Used by the JWT secret and the audit key outside
 * production; production always names its secrets in the environment.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/** The secret kept in `dataDir/fileName`, written there first (exclusively) if it does not exist. */
export function localSecret(dataDir: string, fileName: string): string {
  const file = path.join(dataDir, fileName);
  fs.mkdirSync(dataDir, { recursive: true });
  try {
    fs.writeFileSync(file, crypto.randomBytes(48).toString('base64url'), {
      flag: 'wx',
      mode: 0o600,
    });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  return fs.readFileSync(file, 'utf8').trim();
}
