/**
 * The generator: the SQL of one batch of cases (their convictions, assessments, requests, actions
 * and voids), run inside PostgreSQL over generate_series, batches spread over the connections.
 */
import pg from 'pg';
import * as words from './vocabulary';
import {
  MIX,
  EXIGENT_SHARE,
  DENIED_PER_APPROVED,
  WITHDRAWN_PER_APPROVED,
  PENDING_PER_APPROVED,
  VOID_SHARE,
  ACTIONS_PER_CASE,
  TEMPLATE_VARIANTS,
  OFFICE_SLOTS,
  type Plan,
} from './plan';
import { lit, pickSql } from './sql-literals';
import { onClients } from './bulk-schema';

/** The SQL of one batch: cases [$1, $2), their assessments, requests and actions. */
export function batchStatements(plan: Plan): {
  caseSql: string;
  convictionSql: string;
  actionSql: string;
  inserts: string[];
} {
  const v = plan.versions;
  const nb = plan.bucketStarts.length;
  const totalDays =
    (new Date(`${plan.lastDay}T00:00:00Z`).getTime() -
      new Date(`${plan.firstDay}T00:00:00Z`).getTime()) /
      86_400_000 +
    1;
  // Case n opens on day floor((n + u) / cases * (days - 1)): chronological, so batches are too.
  const dayScale = totalDays / plan.cases;
  const bucketExpr = (d: string) =>
    plan.bucketStarts.length === 1
      ? '0'
      : plan.bucketStarts
          .slice(1)
          .map((b) => `(${d} >= ${lit.date(b)})::int`)
          .join(' + ');
  const viExpr = (d: string) =>
    v.length === 1
      ? '1'
      : `CASE ${v
          .slice(0, -1)
          .map((x, i) => `WHEN ${d} <= ${lit.date(x.to)} THEN ${i + 1}`)
          .join(' ')} ELSE ${v.length} END`;
  const fromExpr = (vi: string) =>
    `(ARRAY[${v.map((x) => lit.date(x.from)).join(',')}]::date[])[${vi}]`;
  const peExpr = (vi: string) =>
    `(ARRAY[${v.map((x) => lit.date(x.to)).join(',')}]::date[])[${vi}]`;
  const slots: number[] = [];
  const totalWeight = plan.offices.reduce((a, o) => a + o.weight, 0);
  plan.offices.forEach((o, i) => {
    const n = Math.round((o.weight / totalWeight) * OFFICE_SLOTS);
    for (let k = 0; k < n; k++) slots.push(i + 1);
  });
  const mixTotal = MIX.nationalSecurity + MIX.border + MIX.publicSafety + MIX.preapproved;
  const p1 = MIX.nationalSecurity / mixTotal;
  const p2 = p1 + MIX.border / mixTotal;
  const p3 = p2 + MIX.publicSafety / mixTotal;
  // Exigent actions come out of OTHER cases' actions under a version requiring pre-approval.
  const exigentOfOther = EXIGENT_SHARE / (1 - p3);
  const citizenship: string[] = [];
  for (const [code, w] of words.CITIZENSHIPS)
    for (let k = 0; k < w * 2; k++) citizenship.push(code);
  const cycle = ACTIONS_PER_CASE.reduce((a, b) => a + b, 0);
  const prefix = ACTIONS_PER_CASE.map((_, i) =>
    ACTIONS_PER_CASE.slice(0, i).reduce((a, b) => a + b, 0),
  );
  const codes = lit.textArray(v.map((x) => x.definition.code));
  const presumptions = lit.boolArray(v.map((x) => x.definition.presumptions));
  const requiresPre = lit.boolArray(v.map((x) => x.definition.requiresPreapproval));
  const validityDays = `(${lit.intArray(v.map((x) => x.definition.parameters.approvalValidityDays))})`;
  const deadlineHours = `(${lit.intArray(v.map((x) => x.definition.parameters.exigentDeadlineHours))})`;

  // Nested subqueries rather than CTEs: CTEs with volatile functions are materialized.
  /*
   * Every subquery below is fenced with OFFSET 0, so that each computed column is computed once
   * per row (a pulled-up subquery would repeat its expressions wherever they are used).
   *
   * Case n is centred on a day drawn uniformly over its share of the range (chronological, so
   * batches are too); its actions fall within ±h days of the centre, all inside the policy
   * version in force on that day. Actions that would cross the version's bounds are reflected
   * back inside: this keeps the density of actions uniform up to the bounds (no pile-up before a
   * version change). The case is opened and assessed one to three days before its first action.
   */
  const first = lit.date(plan.firstDay);
  const reflect = (t: string) =>
    `CASE WHEN ${t} < lo THEN 2 * lo - (${t}) WHEN ${t} >= hi THEN least(hi - 0.000001, 2 * hi - (${t})) ELSE ${t} END`;
  const slot = (j: number) => reflect(`cr - h + 2 * h * (${j} + u${j}) / k`);
  const caseSql = `
    CREATE TEMP TABLE bc ON COMMIT DROP AS
    SELECT z.*,
           ((${lit.intArray(plan.templateBase)})[(vi - 1) * ${4 * nb} + (ci - 1) * ${nb} + bi + 1]
             + floor(r_var * ${TEMPLATE_VARIANTS}))::int AS tid,
           created_at + interval '15 minutes' + r_asm * interval '150 minutes' AS assessed_at,
           r_close < 0.35 AND k >= 2 AS closed,
           gen_random_uuid() AS case_id, gen_random_uuid() AS assessment_id
      FROM (
        SELECT y.*, o.id AS office_id, o.tz, o.city,
               o.officers[1 + floor(r_off * o.nof)::int] AS officer_id,
               o.supervisors[1 + floor(r_sup * o.nsup)::int] AS supervisor_id,
               ((d0 + interval '7 hours' + r_time * interval '7 hours') AT TIME ZONE o.tz) AS created_at,
               ${bucketExpr('d0')} AS bi
          FROM (
            SELECT x.*, greatest(vfrom, days[1] - 1 - floor(r_gap * 3)::int) AS d0
              FROM (
                SELECT w.*,
                       ARRAY(SELECT ${first} + floor(t)::int
                               FROM unnest(ARRAY[${ACTIONS_PER_CASE.map((_, j) => `t${j}`).join(', ')}])
                                    WITH ORDINALITY AS s(t, i)
                              WHERE i <= w.k ORDER BY 1) AS days
                  FROM (
                    SELECT v.*, ${ACTIONS_PER_CASE.map((_, j) => `${slot(j)} AS t${j}`).join(', ')}
                      FROM (
                        SELECT b.*, (vfrom - ${first}) + 1 AS lo, (pe - ${first}) + 1 AS hi,
                               least(20, (pe - vfrom - 1) / 2.0) AS h
                          FROM (
                            SELECT a.*, ${peExpr('vi')} AS pe, ${fromExpr('vi')} AS vfrom,
                                   CASE WHEN r_cat < ${p1} THEN 1 WHEN r_cat < ${p2} THEN 2
                                        WHEN r_cat < ${p3} THEN 3 ELSE 4 END AS ci,
                                   (${lit.intArray(ACTIONS_PER_CASE)})[n % ${ACTIONS_PER_CASE.length} + 1] AS k,
                                   ${cycle} * (n / ${ACTIONS_PER_CASE.length})
                                     + (${lit.intArray(prefix)})[n % ${ACTIONS_PER_CASE.length} + 1] AS a0
                              FROM (
                                SELECT n, cr, ${viExpr(`${first} + floor(cr)::int`)} AS vi,
                                       oi, r_cat, r_var, r_off, r_sup, r_time, r_asm, r_close, r_gap,
                                       ${ACTIONS_PER_CASE.map((_, j) => `u${j}`).join(', ')}
                                  FROM (
                                    SELECT n, (n + random()) * ${dayScale} AS cr,
                                           (${lit.intArray(slots)})[1 + floor(random() * ${slots.length})::int] AS oi,
                                           random() AS r_cat, random() AS r_var, random() AS r_off, random() AS r_sup,
                                           random() AS r_time, random() AS r_asm, random() AS r_close, random() AS r_gap,
                                           ${ACTIONS_PER_CASE.map((_, j) => `random() AS u${j}`).join(', ')}
                                      FROM generate_series($1::bigint, $2::bigint - 1) AS n OFFSET 0
                                  ) r OFFSET 0
                              ) a OFFSET 0
                          ) b OFFSET 0
                      ) v OFFSET 0
                  ) w OFFSET 0
              ) x OFFSET 0
          ) y
          JOIN ofc o ON o.oi = y.oi OFFSET 0
      ) z`;

  // Conviction ids for the cases whose template has convictions.
  const convictionSql = `
    CREATE TEMP TABLE bv ON COMMIT DROP AS
    SELECT c.case_id, c.office_id, c.created_at, v.*, gen_random_uuid() AS id
      FROM bc c JOIN tpl_conv v ON v.tid = c.tid`;

  const dow = (d: string) => `((${d} - DATE '2000-01-03') % 7)`; // 0 = Monday, 5 = Saturday
  const actionSql = `
    CREATE TEMP TABLE ba ON COMMIT DROP AS
    SELECT u.*, occurred_at - lead AS decided_at, occurred_at - lead - dwell AS requested_at
      FROM (
        SELECT t.*,
               (ARRAY['NATIONAL_SECURITY','BORDER_SECURITY','PUBLIC_SAFETY','OTHER'])[
                 CASE WHEN basis IN ('PREAPPROVED', 'EXIGENT') THEN 4 ELSE ci END]::priority_category AS category,
               occurred_at + interval '10 minutes' + r_rec * interval '170 minutes' AS recorded_at,
               -- Pre-approval: decided up to ten days before the action, within hours of the request.
               least((occurred_at - assessed_at) * 0.9, interval '1 hour' + r_lead * r_lead * interval '10 days') AS lead,
               least((occurred_at - assessed_at) * 0.09, interval '15 minutes' + r_dwell * interval '6 hours') AS dwell,
               gen_random_uuid() AS action_id,
               CASE WHEN basis = 'PREAPPROVED' THEN gen_random_uuid() END AS req_id,
               CASE WHEN basis = 'EXIGENT' THEN gen_random_uuid() END AS post_id
          FROM (
            SELECT b.*,
                   (day + interval '6 hours' + r_hr * interval '12 hours') AT TIME ZONE tz AS occurred_at,
                   CASE WHEN j = 0 THEN CASE WHEN r_ty < 0.65 THEN 'ARREST' ELSE 'DETAINER_ISSUED' END
                        WHEN closed AND j = k - 1 THEN 'REMOVAL'
                        ELSE ${pickSql(
                          [
                            'NOTICE_TO_APPEAR',
                            'DETENTION',
                            'NOTICE_TO_APPEAR',
                            'DETENTION',
                            'CUSTODY_UNDER_DETAINER',
                            'RELEASE_ON_CONDITIONS',
                            'ARREST',
                          ],
                          'r_ty',
                        )} END::action_type AS type,
                   CASE WHEN ci < 4 AND (${presumptions})[vi] THEN 'PRESUMED_PRIORITY'
                        WHEN NOT (${requiresPre})[vi] THEN 'ASSESSED'
                        WHEN r_ex < ${exigentOfOther} THEN 'EXIGENT'
                        ELSE 'PREAPPROVED' END::enforcement_basis AS basis,
                   (${codes})[vi] AS vcode
              FROM (
                -- Most weekend days move to the nearest weekday (within the case's window).
                SELECT a.*,
                       CASE WHEN r_wk < 0.85 AND ${dow('day0')} >= 5
                            THEN greatest(d0 + 1, least(pe, day0 + CASE ${dow('day0')} WHEN 5 THEN -1 ELSE 1 END))
                            ELSE day0 END AS day
                  FROM (
                    SELECT c.n, c.office_id, c.tz, c.city, c.officer_id, c.supervisor_id, c.d0, c.pe, c.vi, c.ci,
                           c.k, c.closed, c.case_id, c.assessment_id, c.assessed_at, c.tid, j, c.days[j + 1] AS day0,
                           random() AS r_wk, random() AS r_hr, random() AS r_ty, random() AS r_ex, random() AS r_pl,
                           random() AS r_rec, random() AS r_lead, random() AS r_dwell, random() AS r_sib,
                           random() AS r_sib_t, random() AS r_txt, random() AS r_post, random() AS r_post2,
                           random() AS r_rat, random() AS r_void
                      FROM bc c CROSS JOIN LATERAL generate_series(0, c.k - 1) AS j
                     WHERE c.a0 + j < ${plan.actions} OFFSET 0
                  ) a OFFSET 0
              ) b OFFSET 0
          ) t OFFSET 0
      ) u`;

  const justification = pickSql(words.JUSTIFICATIONS, 'r_txt');
  const inserts = [
    // Cases, with the facts of their template; a case whose last action is a removal is closed.
    `INSERT INTO cases (id, office_id, status, assigned_officer_id, opened_by_id, version, subject_name,
       subject_date_of_birth, subject_a_number, subject_citizenship, terrorism_or_espionage,
       border_apprehension_date, border_apprehension_location, first_present_on, last_released_from_custody_on,
       gang_organization, gang_kind, gang_intentional, gang_furthered_illegal_activity, gang_age_at_participation,
       elderly, serious_illness, pending_relief_application, latest_assessment_id, created_at, updated_at,
       closed_at, close_reason)
     SELECT c.case_id, c.office_id, CASE WHEN c.closed THEN 'CLOSED' ELSE 'OPEN' END::case_status,
            c.officer_id, c.officer_id, CASE WHEN c.closed THEN 2 ELSE 1 END,
            ${pickSql(words.FIRST_NAMES, 'random()')} || ' ' || ${pickSql(words.LAST_NAMES, 'random()')},
            DATE '1965-01-01' + floor(random() * 12000)::int,
            lpad(((c.n * 7919 + 4242) % 900000000 + 100000000)::text, 9, '0'),
            ${pickSql(citizenship, 'random()')},
            t.terrorism, t.border_date, t.border_loc, t.first_present, t.last_released, t.gang_org, t.gang_kind,
            t.gang_intentional, t.gang_furthered, t.gang_age, t.elderly, t.illness, t.relief, c.assessment_id,
            c.created_at, coalesce(c.closed_at, c.assessed_at), c.closed_at,
            CASE WHEN c.closed THEN ${pickSql(words.CLOSE_REASONS, 'random()')} END
       FROM (SELECT bc.*, CASE WHEN closed THEN least(now(),
               ((days[k] + 2 + floor(random() * 10)::int) + interval '11 hours') AT TIME ZONE tz) END AS closed_at
               FROM bc) c
       JOIN tpl t ON t.tid = c.tid`,
    `INSERT INTO convictions (id, case_id, office_id, offense, jurisdiction, convicted_on, aggravated_felony,
       aggravated_felony_subparagraph, gang_participation_element, vacated, created_at)
     SELECT id, case_id, office_id, offense, jurisdiction, convicted_on, agg, subpara, gang_el, false, created_at
       FROM bv`,
    `INSERT INTO assessments (id, case_id, office_id, policy_version_code, as_of, as_of_date, categories,
       primary_category, presumed_priority, requires_preapproval, reasons, determinations, facts_snapshot, summary,
       assessed_by_id, assessed_at)
     SELECT c.assessment_id, c.case_id, c.office_id, t.vcode, c.assessed_at, c.d0, t.categories, t.category,
            t.presumed, t.requires_pre, t.reasons, t.determinations,
            CASE t.nconv WHEN 0 THEN t.facts
                 WHEN 1 THEN jsonb_set(t.facts, '{convictions,0,id}', to_jsonb(v.ids[1]::text), false)
                 ELSE jsonb_set(jsonb_set(t.facts, '{convictions,0,id}', to_jsonb(v.ids[1]::text), false),
                                '{convictions,1,id}', to_jsonb(v.ids[2]::text), false) END,
            t.summary, c.officer_id, c.assessed_at
       FROM bc c JOIN tpl t ON t.tid = c.tid
       LEFT JOIN (SELECT case_id, array_agg(id ORDER BY ord) AS ids FROM bv GROUP BY case_id) v
         ON v.case_id = c.case_id`,
    // Approved pre-action requests (one per pre-approved action), the denied, withdrawn and pending
    // ones around them, and the post-action requests of exigent actions.
    `INSERT INTO approval_requests (id, case_id, office_id, kind, action_type, status, justification,
       policy_version_code, requested_by_id, requested_at, decided_by_id, decided_at, decision_reason, expires_at,
       enforcement_action_id, justification_due_at, justification_submitted_at, justification_submitted_by_id,
       requested_week)
     SELECT u.*, office_week_start(u.requested_at, o.time_zone)
       FROM (
     SELECT req_id, case_id, office_id, 'PRE_ACTION'::approval_kind, type, 'APPROVED'::approval_status, ${justification}, vcode, officer_id,
            requested_at, supervisor_id, decided_at, ${pickSql(words.APPROVAL_REASONS, 'r_pl')},
            decided_at + ${validityDays}[vi] * interval '1 day', NULL::uuid, NULL::timestamptz, NULL::timestamptz, NULL::uuid
       FROM ba WHERE basis = 'PREAPPROVED'
     UNION ALL
     SELECT gen_random_uuid(), case_id, office_id, 'PRE_ACTION'::approval_kind, type, s.status::approval_status,
            ${justification}, vcode, officer_id, s.at,
            CASE WHEN s.status = 'DENIED' THEN supervisor_id END,
            CASE s.status WHEN 'DENIED' THEN s.at + least(requested_at - s.at, interval '15 minutes' + r_dwell * interval '6 hours')
                          WHEN 'WITHDRAWN' THEN s.at + (requested_at - s.at) * 0.5 END,
            CASE s.status WHEN 'DENIED' THEN ${pickSql(words.DENIAL_REASONS, 'r_pl')}
                          WHEN 'WITHDRAWN' THEN ${pickSql(words.WITHDRAWAL_REASONS, 'r_pl')} END,
            NULL, NULL, NULL, NULL, NULL
       FROM ba CROSS JOIN LATERAL (SELECT
              CASE WHEN r_sib < ${DENIED_PER_APPROVED} THEN 'DENIED'
                   WHEN r_sib < ${DENIED_PER_APPROVED + WITHDRAWN_PER_APPROVED} THEN 'WITHDRAWN'
                   ELSE 'PENDING' END AS status,
              assessed_at + (requested_at - assessed_at) * r_sib_t AS at) s
      WHERE basis = 'PREAPPROVED' AND r_sib < ${DENIED_PER_APPROVED + WITHDRAWN_PER_APPROVED + PENDING_PER_APPROVED}
     UNION ALL
     SELECT post_id, case_id, office_id, 'POST_ACTION'::approval_kind, type,
            CASE WHEN p.submitted_at IS NULL OR r_rat >= 0.97 THEN 'PENDING'
                 WHEN r_rat < 0.9 THEN 'APPROVED' ELSE 'DENIED' END::approval_status,
            CASE WHEN p.submitted_at IS NOT NULL THEN ${pickSql(words.POST_JUSTIFICATIONS, 'r_txt')} END,
            vcode, officer_id, recorded_at,
            CASE WHEN p.submitted_at IS NOT NULL AND r_rat < 0.97 THEN supervisor_id END,
            CASE WHEN p.submitted_at IS NOT NULL AND r_rat < 0.97
                 THEN p.submitted_at + interval '30 minutes' + r_dwell * interval '11 hours' END,
            CASE WHEN p.submitted_at IS NULL OR r_rat >= 0.97 THEN NULL
                 WHEN r_rat < 0.9 THEN ${pickSql(words.RATIFICATION_REASONS, 'r_pl')}
                 ELSE 'Not ratified: the narrative does not show that pre-approval was infeasible.' END,
            NULL, action_id, occurred_at + ${deadlineHours}[vi] * interval '1 hour', p.submitted_at,
            CASE WHEN p.submitted_at IS NOT NULL THEN officer_id END
       FROM ba CROSS JOIN LATERAL (SELECT
              CASE WHEN r_post < 0.85 THEN recorded_at + (occurred_at + ${deadlineHours}[vi] * interval '1 hour'
                                              - interval '30 minutes' - recorded_at) * r_post2
                   WHEN r_post < 0.95 THEN occurred_at + ${deadlineHours}[vi] * interval '1 hour'
                                           + interval '1 hour' + r_post2 * interval '47 hours' END AS submitted_at) p
      WHERE basis = 'EXIGENT') u JOIN offices o ON o.id = u.office_id`,
    // What each action rests on, as recorded by the service: the approved request's justification
    // (the same pick as its insert above) or the assessment's summary (its template's).
    `INSERT INTO enforcement_actions (id, case_id, office_id, type, occurred_at, location, basis, category,
       policy_version_code, assessment_id, approval_request_id, report_reason, approved_by_id, exigent_narrative,
       recorded_by_id, recorded_at)
     SELECT ba.action_id, ba.case_id, ba.office_id, ba.type, ba.occurred_at,
            ba.city || ' (' || ${pickSql(words.PLACES, 'ba.r_pl')} || ')',
            ba.basis, ba.category, ba.vcode, ba.assessment_id, ba.req_id,
            CASE ba.basis WHEN 'PREAPPROVED' THEN ${pickSql(words.JUSTIFICATIONS, 'ba.r_txt')}
                          WHEN 'EXIGENT' THEN NULL ELSE t.summary END,
            CASE WHEN ba.basis = 'PREAPPROVED' THEN ba.supervisor_id END,
            CASE WHEN ba.basis = 'EXIGENT' THEN ${pickSql(words.EXIGENT_NARRATIVES, 'ba.r_txt')} END,
            ba.officer_id, ba.recorded_at
       FROM ba JOIN tpl t ON t.tid = ba.tid ORDER BY ba.occurred_at`,
    `INSERT INTO enforcement_action_voids (enforcement_action_id, office_id, reason, voided_by_id, voided_at)
     SELECT action_id, office_id, 'Recorded in error: duplicate entry.', officer_id,
            recorded_at + interval '1 hour' + (r_void / ${VOID_SHARE}) * interval '2 days'
       FROM ba WHERE r_void < ${VOID_SHARE}`,
  ];
  return { caseSql, convictionSql, actionSql, inserts };
}

export async function runBatches(
  plan: Plan,
  clients: pg.Client[],
  onBatch: (actions: number, rows: number, cases: number, approvals: number) => void,
): Promise<void> {
  const { caseSql, convictionSql, actionSql, inserts } = batchStatements(plan);
  const batches: [number, number][] = [];
  for (let c0 = 0; c0 < plan.cases; c0 += plan.batchCases)
    batches.push([c0, Math.min(plan.cases, c0 + plan.batchCases)]);
  await onClients(
    clients,
    batches.map(([c0, c1]) => async (client) => {
      await client.query('BEGIN');
      try {
        const timed = async (label: string, sql: string, params?: unknown[]) => {
          const t0 = Date.now();
          const result = await client.query(sql, params);
          // SEED_SYNTHETIC_TIMING=1: the time of each statement of each batch.
          if (process.env.SEED_SYNTHETIC_TIMING) console.error(`  ${label}: ${Date.now() - t0} ms`);
          return result;
        };
        await timed('plan cases', caseSql, [c0, c1]);
        await timed('plan convictions', convictionSql);
        await timed('plan actions', actionSql);
        let rows = 0;
        const counts: number[] = [];
        for (const [i, sql] of inserts.entries()) {
          const result = await timed(`insert ${i}`, sql);
          counts.push(result.rowCount ?? 0);
          rows += result.rowCount ?? 0;
        }
        if (counts[0] !== c1 - c0)
          throw new Error(`batch ${c0}: ${counts[0]} cases for ${c1 - c0}`);
        await client.query('COMMIT');
        onBatch(counts[4], rows, counts[0], counts[3]);
      } catch (err) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw err;
      }
    }),
  );
}
