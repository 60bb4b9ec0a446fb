import { startBanner } from '../../src/banner';

const facts = {
  url: 'http://localhost:4000/graphql',
  port: 4000,
  database: 'PostgreSQL at DATABASE_URL',
};

const DEMO = [
  { email: 'officer.nyc@example.gov', role: 'FIELD_OFFICER', office: 'NYC' },
  { email: 'supervisor.nyc@example.gov', role: 'SUPERVISOR', office: 'NYC' },
  { email: 'hq@example.gov', role: 'HEADQUARTERS', office: null },
];

describe('startBanner', () => {
  test('development: the address, the probes, and a token command for each user it is given', () => {
    const text = startBanner({ ...facts, production: false, users: DEMO });
    expect(text).toContain('POST http://localhost:4000/graphql   (PostgreSQL at DATABASE_URL)');
    expect(text).toContain('http://localhost:4000/healthz');
    expect(text).toContain('http://localhost:4000/readyz');
    expect(text).toMatch(
      /Token: +npm run -s token -- officer\.nyc@example\.gov +\(FIELD_OFFICER, NYC\)/,
    );
    expect(text).toMatch(/npm run -s token -- supervisor\.nyc@example\.gov +\(SUPERVISOR, NYC\)/);
    expect(text).toMatch(/npm run -s token -- hq@example\.gov +\(HEADQUARTERS\)/);
    expect(text).toMatch(/npm run -s token +\(lists every user\)/);
    expect(text).toContain('Bearer $(npm run -s token -- officer.nyc@example.gov)');
  });

  test('a database without the demo users (seed:synthetic): only the users it holds', () => {
    const text = startBanner({
      ...facts,
      production: false,
      users: [
        { email: 'officer1.phx@synthetic.example.gov', role: 'FIELD_OFFICER', office: 'PHX' },
        { email: 'hq1@synthetic.example.gov', role: 'HEADQUARTERS', office: null },
      ],
    });
    expect(text).toContain('npm run -s token -- officer1.phx@synthetic.example.gov');
    expect(text).toContain('Bearer $(npm run -s token -- officer1.phx@synthetic.example.gov)');
    expect(text).not.toContain('@example.gov');
  });

  test('no active user: no email suggested, how to add the demo users instead', () => {
    const text = startBanner({ ...facts, production: false, users: [] });
    expect(text).toContain('no active user in this database: npm run seed adds the demo users');
    expect(text).not.toContain('@');
    expect(text).not.toContain('curl');
  });

  test('production: only the address and the probes, no token hint or demo user', () => {
    const text = startBanner({ ...facts, production: true, users: DEMO });
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
