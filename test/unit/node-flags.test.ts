/** `npm start` runs the service with the flags the benchmark measures (src/node-flags.ts). */
import fs from 'node:fs';
import path from 'node:path';
import { SERVICE_NODE_FLAGS } from '../../src/server/node-flags';

describe('the service node flags', () => {
  it('are the ones npm start passes', () => {
    const pkg = JSON.parse(
      fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8'),
    ) as { scripts: Record<string, string> };
    expect(pkg.scripts.start).toMatch(
      new RegExp(`(^|&& )node ${SERVICE_NODE_FLAGS.join(' ')} dist/src/main\\.js$`),
    );
  });
});
