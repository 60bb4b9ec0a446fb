/**
 * Who is in the database, for a developer looking for an email to get a token for: `npm run token`
 * without an email lists them, and the start banner suggests one per role. Read straight from the
 * users table, so the names are those of the database in use (demo, synthetic or real).
 */
import type { Role } from '../auth/role';

/**
 * Runs one SQL statement and resolves to its rows: a TypeORM DataSource's `query` (the service), or a
 * bare `pg` client's (the token script, which stays off TypeORM and type-graphql to start fast).
 */
export type RunQuery = (sql: string, params?: unknown[]) => Promise<unknown[]>;

export interface ListedUser {
  email: string;
  role: `${Role}`;
  /** Office code; null for headquarters. */
  office: string | null;
  active: boolean;
}

/** Roles in the order they are listed and suggested (field work first). */
export const ROLE_ORDER = [
  'FIELD_OFFICER',
  'SUPERVISOR',
  'HEADQUARTERS',
] as const satisfies readonly `${Role}`[];

const ROLE_RANK = `array_position(ARRAY['${ROLE_ORDER.join("','")}'], u.role::text)`;

/** Every user (or the first `limit` of each role), by role, office and email. */
export async function listUsers(query: RunQuery, limit?: number): Promise<ListedUser[]> {
  return (await query(
    `SELECT email, role, office, active
       FROM (SELECT u.email, u.role::text AS role, o.code AS office, u.active,
                    ${ROLE_RANK} AS rank,
                    row_number() OVER (PARTITION BY u.role ORDER BY o.code NULLS FIRST, u.email) AS n
               FROM users u LEFT JOIN offices o ON o.id = u.office_id) listed
      WHERE $1::int IS NULL OR n <= $1::int
      ORDER BY rank, office NULLS FIRST, email`,
    [limit ?? null],
  )) as ListedUser[];
}

/** How many users each role has (active or not). */
export async function countUsers(query: RunQuery): Promise<Map<string, number>> {
  const rows = (await query(
    `SELECT role::text AS role, count(*)::int AS n FROM users GROUP BY role`,
  )) as { role: string; n: number }[];
  return new Map(rows.map((r) => [r.role, r.n]));
}

/**
 * One active user per role, field officer first: of the office with the most active users in that
 * role (on the demo data: officer.nyc@example.gov, supervisor.nyc@example.gov), then by email.
 */
export async function oneActiveUserPerRole(query: RunQuery): Promise<ListedUser[]> {
  return (await query(
    `SELECT DISTINCT ON (rank) email, role, office, active
       FROM (SELECT u.email, u.role::text AS role, o.code AS office, u.active,
                    ${ROLE_RANK} AS rank,
                    count(*) OVER (PARTITION BY u.role, u.office_id) AS peers
               FROM users u LEFT JOIN offices o ON o.id = u.office_id
              WHERE u.active) active_users
      ORDER BY rank, peers DESC, office, email`,
  )) as ListedUser[];
}
