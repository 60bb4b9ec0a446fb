/**
 * What `npm start` prints once the service listens. Outside production it shows how to get a demo
 * token and try a query; in production only where the service and its probes are (there are no
 * demo users or development tokens there).
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
}

export function startBanner({
  production,
  url,
  port,
  database,
  demoClock,
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
  if (!production) {
    lines.push(
      `  Token:    npm run -s token -- officer.nyc@example.gov`,
      `  Try:      curl -s ${url} -H 'content-type: application/json' \\`,
      `              -H "authorization: Bearer $(npm run -s token -- officer.nyc@example.gov)" \\`,
      `              -d '{"query":"{ me { name role office { code } } }"}'`,
    );
  }
  lines.push(``);
  return lines.join('\n');
}
