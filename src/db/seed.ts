/**
 * Demo data: three offices and their people. Idempotent: existing rows (by office code and email)
 * are left as they are, and an audit record is written only when something was added.
 */
import type { DataSource } from 'typeorm';
import type { Clock } from '../clock';
import type { Logger } from '../logger';
import { RequestContext, inTransaction } from '../common/context';
import { writeAudit } from '../modules/audit/audit.service';
import type { AuditKeys } from '../modules/audit/audit.key';
import { AuditKind } from '../modules/audit/audit.entity';
import { Role } from '../auth/role';
import { ServiceCaches } from '../common/caches';

export const DEMO_OFFICES = [
  { code: 'NYC', name: 'New York Field Office', timeZone: 'America/New_York' },
  { code: 'LAX', name: 'Los Angeles Field Office', timeZone: 'America/Los_Angeles' },
  { code: 'CHI', name: 'Chicago Field Office', timeZone: 'America/Chicago' },
];

export const DEMO_USERS: { email: string; name: string; role: Role; officeCode: string | null }[] =
  [
    {
      email: 'officer.nyc@example.gov',
      name: 'Olivia Ortiz',
      role: Role.FIELD_OFFICER,
      officeCode: 'NYC',
    },
    {
      email: 'officer2.nyc@example.gov',
      name: 'Noah Nakamura',
      role: Role.FIELD_OFFICER,
      officeCode: 'NYC',
    },
    {
      email: 'supervisor.nyc@example.gov',
      name: 'Sofia Santos',
      role: Role.SUPERVISOR,
      officeCode: 'NYC',
    },
    {
      email: 'supervisor2.nyc@example.gov',
      name: 'Samuel Stone',
      role: Role.SUPERVISOR,
      officeCode: 'NYC',
    },
    {
      email: 'officer.lax@example.gov',
      name: 'Liam Lopez',
      role: Role.FIELD_OFFICER,
      officeCode: 'LAX',
    },
    {
      email: 'supervisor.lax@example.gov',
      name: 'Lena Lindqvist',
      role: Role.SUPERVISOR,
      officeCode: 'LAX',
    },
    { email: 'hq@example.gov', name: 'Hannah Quinn', role: Role.HEADQUARTERS, officeCode: null },
  ];

export async function isEmpty(dataSource: DataSource): Promise<boolean> {
  const [row] = (await dataSource.query(`SELECT EXISTS (SELECT 1 FROM offices) AS any`)) as {
    any: boolean;
  }[];
  return !row.any;
}

export async function seedDemo(
  dataSource: DataSource,
  clock: Clock,
  log: Logger,
  auditKeys: AuditKeys,
): Promise<{ offices: number; users: number }> {
  const ctx = new RequestContext(
    { dataSource, clock, log, caches: new ServiceCaches(), auditKeys },
    'seed',
    null,
    null,
  );
  return inTransaction(ctx, async (tx) => {
    const now = clock.now();
    const offices = (await tx.manager.query(
      `INSERT INTO offices (code, name, time_zone, created_at)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[])
       ON CONFLICT (code) DO NOTHING RETURNING id, code`,
      [
        DEMO_OFFICES.map((o) => o.code),
        DEMO_OFFICES.map((o) => o.name),
        DEMO_OFFICES.map((o) => o.timeZone),
        DEMO_OFFICES.map(() => now),
      ],
    )) as { id: string; code: string }[];
    const users = (await tx.manager.query(
      `INSERT INTO users (email, name, role, office_id, active, created_at)
       SELECT u.email, u.name, u.role::user_role, o.id, true, $5
         FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS u(email, name, role, office_code)
         LEFT JOIN offices o ON o.code = u.office_code
       ON CONFLICT (email) DO NOTHING RETURNING id, email, office_id`,
      [
        DEMO_USERS.map((u) => u.email),
        DEMO_USERS.map((u) => u.name),
        DEMO_USERS.map((u) => u.role),
        DEMO_USERS.map((u) => u.officeCode),
        now,
      ],
    )) as { id: string; email: string; office_id: string | null }[];
    if (offices.length || users.length) {
      await writeAudit(tx, {
        kind: AuditKind.SYSTEM,
        operation: 'seedDemo',
        recordType: 'DemoData',
        recordIds: [...offices.map((o) => o.id), ...users.map((u) => u.id)],
        // System-wide: headquarters' trail only, not any one office's.
        officeIds: [],
        change: { offices: offices.map((o) => o.code), users: users.map((u) => u.email) },
      });
    }
    return { offices: offices.length, users: users.length };
  });
}
