/** The lookup tables each loading connection builds once: offices with their staff, templates. */
import pg from 'pg';
import type { PolicyFacts } from '../../modules/assessments/policy/types';
import type { Plan } from './plan';

/** Per-connection lookup tables: offices with their staff, and the assessment templates. */
export async function prepareSession(client: pg.Client, plan: Plan): Promise<void> {
  await client.query(
    `CREATE TEMP TABLE ofc AS
     SELECT x.oi, o.id, o.time_zone AS tz, x.city,
            array_agg(u.id ORDER BY u.email) FILTER (WHERE u.role = 'FIELD_OFFICER') AS officers,
            array_agg(u.id ORDER BY u.email) FILTER (WHERE u.role = 'SUPERVISOR') AS supervisors
       FROM unnest($1::text[], $2::int[], $3::text[]) AS x(code, oi, city)
       JOIN offices o ON o.code = x.code
       JOIN users u ON u.office_id = o.id
      GROUP BY x.oi, o.id, o.time_zone, x.city`,
    [
      plan.offices.map((o) => o.code),
      plan.offices.map((_, i) => i + 1),
      plan.offices.map((o) => o.city),
    ],
  );
  await client.query(
    `ALTER TABLE ofc ADD COLUMN nof int, ADD COLUMN nsup int;
     UPDATE ofc SET nof = cardinality(officers), nsup = cardinality(supervisors);
     ANALYZE ofc`,
  );
  const templates = plan.templates.map((t, tid) => {
    const f = t.facts;
    return {
      tid,
      vcode: t.versionCode,
      category: t.category,
      categories: t.outcome.categories,
      presumed: t.outcome.presumedPriority,
      requires_pre: t.outcome.requiresPreapproval,
      reasons: t.outcome.reasons,
      determinations: t.determinations,
      facts: f,
      summary: t.outcome.summary,
      ...caseFactColumns(f),
    };
  });
  await client.query(
    `CREATE TEMP TABLE tpl AS SELECT * FROM jsonb_to_recordset($1::jsonb) AS t(
       tid int, vcode text, category priority_category, categories priority_category[], presumed boolean,
       requires_pre boolean, reasons jsonb, determinations jsonb, facts jsonb, summary text, terrorism boolean,
       border_date date, border_loc text, first_present date, last_released date, gang_org text,
       gang_kind criminal_organization_kind, gang_intentional boolean, gang_furthered boolean, gang_age smallint,
       elderly boolean, illness boolean, relief boolean, nconv int)`,
    [JSON.stringify(templates)],
  );
  const convictions = plan.templates.flatMap((t, tid) =>
    t.facts.convictions.map((c, ord) => ({
      tid,
      ord,
      offense: c.offense,
      jurisdiction: c.jurisdiction,
      convicted_on: c.convictedOn,
      agg: c.aggravatedFelony,
      subpara: c.aggravatedFelonySubparagraph,
      gang_el: c.gangParticipationElement,
    })),
  );
  await client.query(
    `CREATE TEMP TABLE tpl_conv AS SELECT * FROM jsonb_to_recordset($1::jsonb) AS t(
       tid int, ord int, offense text, jurisdiction text, convicted_on date, agg boolean, subpara text, gang_el boolean)`,
    [JSON.stringify(convictions)],
  );
  await client.query(`ANALYZE tpl; ANALYZE tpl_conv`);
}

/**
 * A template's facts as the columns of a case row, under the names the bulk SQL reads from its
 * template table (`seed:synthetic` and `bench:api` both load cases this way).
 */
export function caseFactColumns(f: PolicyFacts) {
  return {
    terrorism: f.terrorismOrEspionage,
    border_date: f.borderApprehension?.date ?? null,
    border_loc: f.borderApprehension?.location ?? null,
    first_present: f.firstPresentOn,
    last_released: f.lastReleasedFromCustodyOn,
    gang_org: f.gangParticipation?.organization ?? null,
    gang_kind: f.gangParticipation?.kind ?? null,
    gang_intentional: f.gangParticipation?.intentional ?? null,
    gang_furthered: f.gangParticipation?.furtheredIllegalActivity ?? null,
    gang_age: f.gangParticipation?.ageAtParticipation ?? null,
    elderly: f.vulnerability.elderly,
    illness: f.vulnerability.seriousIllness,
    relief: f.vulnerability.pendingReliefApplication,
    nconv: f.convictions.length,
  };
}
