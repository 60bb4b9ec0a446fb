/** Which destinations WEBHOOK_PRIVATE_ADDRESSES=refuse keeps webhooks from. */
import { isPrivateAddress, privateDestination } from '../../src/modules/webhooks/webhook.addresses';

test('loopback, private, link-local, shared, reserved and multicast addresses are private', () => {
  for (const a of [
    '127.0.0.1',
    '127.255.0.9',
    '10.0.0.1',
    '172.16.5.4',
    '172.31.255.255',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '224.0.0.1',
    '255.255.255.255',
    '::1',
    '::',
    'fd00::1',
    'fe80::1',
    'ff02::1',
    '::ffff:127.0.0.1',
    '::ffff:10.0.0.1',
    'not an address',
  ])
    expect([a, isPrivateAddress(a)]).toEqual([a, true]);
  for (const a of ['93.184.216.34', '8.8.8.8', '172.32.0.1', '2606:4700::1111', '::ffff:8.8.8.8'])
    expect([a, isPrivateAddress(a)]).toEqual([a, false]);
});

test('a URL is refused by its address, by what its name resolves to, or as localhost', async () => {
  const lookup = (answers: Record<string, string[]>) => async (host: string) => {
    const found = answers[host];
    if (!found) throw new Error(`ENOTFOUND ${host}`);
    return found;
  };
  const dns = lookup({
    'hooks.example.gov': ['93.184.216.34'],
    'intranet.example.gov': ['93.184.216.34', '10.0.0.7'],
  });
  expect(await privateDestination('https://hooks.example.gov/a', 'refuse', dns)).toBeNull();
  expect(await privateDestination('https://intranet.example.gov/a', 'refuse', dns)).toMatch(
    /intranet\.example\.gov .*\(10\.0\.0\.7\)/,
  );
  expect(await privateDestination('https://127.0.0.1:8443/a', 'refuse', dns)).toMatch(
    /127\.0\.0\.1/,
  );
  expect(await privateDestination('https://[::1]/a', 'refuse', dns)).toMatch(/::1/);
  expect(await privateDestination('https://app.localhost/a', 'refuse', dns)).toMatch(/localhost/);
  // Not resolvable now: not refused (the attempt fails and is retried).
  expect(await privateDestination('https://new.example.gov/a', 'refuse', dns)).toBeNull();
  // Allowed: nothing is looked up.
  expect(await privateDestination('http://127.0.0.1/a', 'allow', dns)).toBeNull();
});
