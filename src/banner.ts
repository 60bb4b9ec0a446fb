/**
 * What `npm start` prints once the service listens. Outside production it shows how to get a token
 * for users that exist in the database in use (one per role) and try a query; in production only
 * where the service and its probes are (there are no development tokens there).
 */
export interface BannerFacts {
  production: boolean;
  /** The GraphQL address, e.g. http://localhost:4000/graphql. */
  url: string;
  port: number;
  /** Where the data is, e.g. "PostgreSQL at DATABASE_URL". */
  database: string;
  /** DEMO_CLOCK: the instant the service's clock started at, when one is set. */
  demoClock?: Date;
  /** GRAPHQL_IDE: GraphiQL is served at the GraphQL address for browsers. */
  ide?: boolean;
  /**
   * Outside production: active users of the database in use, one per role, whose emails the token
   * hint suggests (so it never names a user that database lacks, e.g. after `seed:synthetic`).
   */
  users?: BannerUser[];
}

export interface BannerUser {
  email: string;
  role: string;
  /** Office code; null for headquarters. */
  office: string | null;
}

export function startBanner({
  production,
  url,
  port,
  database,
  demoClock,
  users = [],
  ide,
}: BannerFacts): string {
  const lines = [
    ``,
    `  GraphQL:  POST ${url}   (${database})`,
    `  Health:   http://localhost:${port}/healthz   Ready: http://localhost:${port}/readyz`,
  ];
  if (ide)
    lines.push(`  IDE:      open ${url} in a browser (GraphiQL); put a token in its Headers tab`);
  if (demoClock)
    lines.push(
      `  Clock:    DEMO_CLOCK: the service's time started at ${demoClock.toISOString()} and runs on from it ({ serverTime { now } })`,
    );
  if (!production && users.length === 0) {
    lines.push(`  Token:    no active user in this database: npm run seed adds the demo users`);
  } else if (!production) {
    const commands = users.map((u) => `npm run -s token -- ${u.email}`);
    const width = Math.max(...commands.map((c) => c.length));
    users.forEach((u, i) =>
      lines.push(
        `  ${i === 0 ? 'Token:' : '      '}    ${commands[i].padEnd(width)}   (${u.role}${u.office ? `, ${u.office}` : ''})`,
      ),
    );
    lines.push(
      `            ${'npm run -s token'.padEnd(width)}   (lists every user)`,
      `  Try:      curl -s ${url} -H 'content-type: application/json' \\`,
      `              -H "authorization: Bearer $(npm run -s token -- ${users[0].email})" \\`,
      `              -d '{"query":"{ me { name role office { code } } }"}'`,
    );
  }
  lines.push(``);
  return lines.join('\n');
}
