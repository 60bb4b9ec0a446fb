/**
 * The HTTP layer's last handler on its own: an error nothing else answered becomes a JSON 500 with a
 * code and no stack, logged with the request id.
 */
import type { AddressInfo } from 'node:net';
import express from 'express';
import { jsonErrors, notFound, requestIds } from '../../src/server/http';
import { createLogger } from '../../src/logger';
import { captureLogs } from '../helpers/logs';

test('an unexpected error is a JSON 500 INTERNAL_SERVER_ERROR, no stack, logged with the request id', async () => {
  const logs = captureLogs();
  const app = express();
  app.use(requestIds(createLogger('info', logs.destination)));
  app.get('/boom', () => {
    throw new Error('secret detail at /srv/app/node_modules/x.js');
  });
  app.use(notFound);
  app.use(jsonErrors);
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  try {
    const { port } = server.address() as AddressInfo;
    const res = await fetch(`http://127.0.0.1:${port}/boom`, {
      headers: { 'x-request-id': 'boom-1' },
    });
    const text = await res.text();
    expect(res.status).toBe(500);
    expect(JSON.parse(text)).toEqual({
      errors: [
        { message: 'Internal server error.', extensions: { code: 'INTERNAL_SERVER_ERROR' } },
      ],
    });
    expect(text).not.toContain('secret');
    expect(text).not.toContain('node_modules');
    const [line] = logs.find('unexpected error', 'boom-1');
    expect((line.err as { message: string }).message).toContain('secret detail');
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
});
