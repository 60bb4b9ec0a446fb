import { startBanner } from '../../src/banner';

const facts = {
  url: 'http://localhost:4000/graphql',
  port: 4000,
  database: 'PostgreSQL at DATABASE_URL',
};

describe('startBanner', () => {
  test('development: the address, the probes, and how to get a demo token', () => {
    const text = startBanner({ ...facts, production: false });
    expect(text).toContain('POST http://localhost:4000/graphql   (PostgreSQL at DATABASE_URL)');
    expect(text).toContain('http://localhost:4000/healthz');
    expect(text).toContain('http://localhost:4000/readyz');
    expect(text).toContain('npm run -s token -- officer.nyc@example.gov');
  });

  test('production: only the address and the probes, no token hint or demo user', () => {
    const text = startBanner({ ...facts, production: true });
    expect(text).toContain('POST http://localhost:4000/graphql');
    expect(text).toContain('http://localhost:4000/healthz');
    expect(text).toContain('http://localhost:4000/readyz');
    expect(text).not.toMatch(/token/i);
    expect(text).not.toContain('@example.gov');
    expect(text).not.toContain('curl');
  });

  test('GRAPHQL_IDE on: the IDE address; off: no mention of it', () => {
    const on = startBanner({ ...facts, production: false, ide: true });
    expect(on).toContain(
      'IDE:      open http://localhost:4000/graphql in a browser (GraphiQL); put a token in its Headers tab',
    );
    expect(startBanner({ ...facts, production: true, ide: true })).toContain('IDE:');
    expect(startBanner({ ...facts, production: false, ide: false })).not.toMatch(/IDE|GraphiQL/);
    expect(startBanner({ ...facts, production: true })).not.toMatch(/IDE|GraphiQL/);
  });
});
