/** The offices and their staff, and the last weeks' reports submitted through the service. */
import type { DataSource } from 'typeorm';
import { ManualClock } from '../../clock';
import type { AuditKeys } from '../../modules/audit/audit.key';
import { createLogger } from '../../logger';
import { Role } from '../../auth/role';
import { submitWeeklyReport } from '../../modules/weekly-reports/weekly-report.service';
import { addDays, weekStartOf, weekWindow } from '../../common/calendar';
import { ServiceCaches } from '../../common/caches';
import { RequestContext } from '../../common/context';
import { prng } from './templates';
import * as words from './vocabulary';
import type { Plan } from './plan';

/** Offices, then officers and supervisors in proportion to each office's size, and headquarters. */
export async function insertPeople(
  ds: DataSource,
  plan: Plan,
): Promise<{ officeIds: string[]; userIds: string[] }> {
  const created = `${addDays(plan.firstDay, -60)}T14:00:00Z`;
  const offices = (await ds.query(
    `INSERT INTO offices (code, name, time_zone, created_at)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[]) AS o, LATERAL (SELECT $4::timestamptz) t
     RETURNING id`,
    [
      plan.offices.map((o) => o.code),
      plan.offices.map((o) => o.name),
      plan.offices.map((o) => o.timeZone),
      created,
    ],
  )) as { id: string }[];
  const rng = prng(7);
  const users: { email: string; name: string; role: string; office: string | null }[] = [];
  const staffName = () =>
    `${words.STAFF_FIRST[Math.floor(rng() * 20)]} ${words.STAFF_LAST[Math.floor(rng() * 20)]}`;
  for (const office of plan.offices) {
    const code = office.code.toLowerCase();
    const officers = Math.round(30 * office.weight) + 10;
    const supervisors = 3 + Math.round(2 * office.weight);
    for (let j = 1; j <= officers; j++)
      users.push({
        email: `officer${j}.${code}@synthetic.example.gov`,
        name: staffName(),
        role: 'FIELD_OFFICER',
        office: office.code,
      });
    for (let j = 1; j <= supervisors; j++)
      users.push({
        email: `supervisor${j}.${code}@synthetic.example.gov`,
        name: staffName(),
        role: 'SUPERVISOR',
        office: office.code,
      });
  }
  for (let j = 1; j <= 3; j++)
    users.push({
      email: `hq${j}@synthetic.example.gov`,
      name: staffName(),
      role: 'HEADQUARTERS',
      office: null,
    });
  const inserted = (await ds.query(
    `INSERT INTO users (email, name, role, office_id, active, created_at)
     SELECT u.email, u.name, u.role::user_role, o.id, true, $5
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS u(email, name, role, office_code)
       LEFT JOIN offices o ON o.code = u.office_code
     RETURNING id`,
    [
      users.map((u) => u.email),
      users.map((u) => u.name),
      users.map((u) => u.role),
      users.map((u) => u.office),
      created,
    ],
  )) as { id: string }[];
  return { officeIds: offices.map((o) => o.id), userIds: inserted.map((u) => u.id) };
}

/**
 * The last `weeks` complete weeks' reports, submitted through the service by a supervisor of each
 * office on the Monday after (most before the due time, some late, a few never): each submission
 * compiles and freezes the week and writes its own audit record, as in real use.
 */
export async function submitLastWeeks(
  ds: DataSource,
  plan: Plan,
  weeks: number,
  auditKeys: AuditKeys,
): Promise<{ onTime: number; late: number; missing: number }> {
  const out = { onTime: 0, late: 0, missing: 0 };
  if (!weeks) return out;
  const lastMonday = addDays(weekStartOf(new Date(`${plan.lastDay}T12:00:00Z`), 'UTC'), -7);
  const supervisors = (await ds.query(
    `SELECT DISTINCT ON (o.code) u.id, u.email, u.name, o.id AS office_id, o.code, o.time_zone
       FROM users u JOIN offices o ON o.id = u.office_id
      WHERE u.role = 'SUPERVISOR' AND u.active ORDER BY o.code, u.email`,
  )) as {
    id: string;
    email: string;
    name: string;
    office_id: string;
    code: string;
    time_zone: string;
  }[];
  const rng = prng(1121);
  const log = createLogger('silent');
  for (let w = weeks - 1; w >= 0; w--) {
    const weekStart = addDays(lastMonday, -7 * w);
    if (weekStart < plan.firstDay) continue;
    for (const s of supervisors) {
      const r = rng();
      if (r < 0.03) {
        out.missing++;
        continue;
      }
      const end = weekWindow(weekStart, s.time_zone).end.getTime();
      const hour = 3_600_000;
      // Due at 12:00 on the Monday after (the versions' parameter): on time from 08:00, late up to a day after.
      const at =
        r < 0.88 ? end + 8 * hour + rng() * 3.9 * hour : end + 12.1 * hour + rng() * 24 * hour;
      const clock = new ManualClock(new Date(at));
      const ctx = new RequestContext(
        { dataSource: ds, clock, log, caches: new ServiceCaches(), auditKeys },
        `seed-synthetic-${s.code}-${weekStart}`,
        {
          id: s.id,
          email: s.email,
          name: s.name,
          role: Role.SUPERVISOR,
          officeId: s.office_id,
          officeCode: s.code,
        },
        null,
      );
      await submitWeeklyReport(ctx, { officeCode: s.code, weekStart, note: null });
      if (r < 0.88) out.onTime++;
      else out.late++;
    }
  }
  return out;
}
