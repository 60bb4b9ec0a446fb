/**
 * The service's database rights. Migrations run as the owner (`MIGRATION_DATABASE_URL`); the
 * service logs in as a member of `ep_service` (`DATABASE_URL`), which cannot alter, truncate or
 * disable the triggers of `audit_log`, nor delete its rows or update them (but the chain columns).
 * At start the service checks the role it actually has, so a deployment that gives it the owner's
 * login is noticed.
 */
import type { DataSource } from 'typeorm';

/** The NOLOGIN group role the migrations grant the service's rights to. */
export const SERVICE_ROLE = 'ep_service';

/** What the current login could do to the audit log that the service must not be able to. */
export async function serviceRoleProblems(dataSource: DataSource): Promise<string[]> {
  const [r] = (await dataSource.query(
    `SELECT current_user AS name, rolsuper AS super, rolbypassrls AS bypass, rolcreaterole AS createrole,
            pg_has_role(current_user, c.relowner, 'USAGE') AS owner,
            has_table_privilege('audit_log', 'UPDATE') AS update,
            has_table_privilege('audit_log', 'DELETE') AS delete,
            has_table_privilege('audit_log', 'TRUNCATE') AS truncate,
            -- Column UPDATE beyond the three chain columns the chainer sets.
            EXISTS (SELECT 1 FROM pg_attribute a
                     WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
                       AND a.attname NOT IN ('seq', 'prev_hash', 'hash')
                       AND has_column_privilege(c.oid, a.attnum, 'UPDATE')) AS edit
       FROM pg_roles, pg_class c
      WHERE rolname = current_user AND c.oid = 'audit_log'::regclass`,
  )) as {
    name: string;
    super: boolean;
    bypass: boolean;
    createrole: boolean;
    owner: boolean;
    update: boolean;
    delete: boolean;
    truncate: boolean;
    edit: boolean;
  }[];
  if (!r) return ['the current role could not be read'];
  const problems: string[] = [];
  if (r.super) problems.push(`${r.name} is a superuser`);
  if (r.createrole) problems.push(`${r.name} may create roles`);
  if (r.bypass) problems.push(`${r.name} bypasses row security`);
  if (r.owner) problems.push(`${r.name} owns audit_log (may alter it or disable its triggers)`);
  const rights = (['update', 'delete', 'truncate'] as const).filter((p) => r[p]);
  if (rights.length) problems.push(`${r.name} may ${rights.join(', ')} audit_log`);
  if (r.edit && !r.update) problems.push(`${r.name} may update content columns of audit_log`);
  return problems;
}
