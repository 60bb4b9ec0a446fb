/**
 * The token verifier keeps tokens it verified for a minute at most, so a client's next requests
 * skip the signature check: a kept token still stops working at its expiry, a token altered in any
 * character is verified on its own, and a token that failed is never kept.
 */
import { createVerifier, signDevelopmentToken, type TokenSettings } from '../../src/auth/jwt';

const settings: TokenSettings = {
  secret: new TextEncoder().encode('jwt-verifier-test-secret-jwt-verifier-test-secret'),
  jwksUrl: undefined,
  issuer: 'enforcement-priorities',
  audience: 'enforcement-priorities',
};
const ALICE = '0b7d1a52-0d61-4c6e-9a0b-3f1f2d4c5e6f';
const BOB = '6a1c2e3f-4b5d-4e6f-8a9b-0c1d2e3f4a5b';

test('a verified token answers the same subject again; another token its own', async () => {
  const verifier = createVerifier(settings);
  const alice = await signDevelopmentToken(settings, ALICE);
  const bob = await signDevelopmentToken(settings, BOB);
  expect(await verifier.verify(alice)).toBe(ALICE);
  expect(await verifier.verify(alice)).toBe(ALICE);
  expect(await verifier.verify(bob)).toBe(BOB);
});

test('a kept token is refused once it has expired', async () => {
  const verifier = createVerifier(settings);
  const token = await signDevelopmentToken(settings, ALICE, 1);
  expect(await verifier.verify(token)).toBe(ALICE);
  await new Promise((r) => setTimeout(r, 2_100));
  await expect(verifier.verify(token)).rejects.toThrow();
});

test('a kept token altered in its signature or its claims is refused', async () => {
  const verifier = createVerifier(settings);
  const token = await signDevelopmentToken(settings, ALICE);
  expect(await verifier.verify(token)).toBe(ALICE);
  const [header, claims, signature] = token.split('.');
  const flipped =
    signature.slice(0, -2) + (signature.at(-2) === 'A' ? 'B' : 'A') + signature.at(-1);
  await expect(verifier.verify(`${header}.${claims}.${flipped}`)).rejects.toThrow();
  const forged = Buffer.from(
    JSON.stringify({ ...JSON.parse(Buffer.from(claims, 'base64url').toString()), sub: BOB }),
  ).toString('base64url');
  await expect(verifier.verify(`${header}.${forged}.${signature}`)).rejects.toThrow();
  // Still refused the second time: a failure is not kept as a success, nor the other way round.
  await expect(verifier.verify(`${header}.${forged}.${signature}`)).rejects.toThrow();
  expect(await verifier.verify(token)).toBe(ALICE);
});
