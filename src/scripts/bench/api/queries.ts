/**
 * The queries the API benchmark sends, each with the one SQL statement that answers the same JSON
 * from the raw baseline: PostgreSQL builds every node (json_build_object, json_agg), in the
 * service's orders (cases newest first, assessments newest first, requests and convictions oldest
 * first), with the service's formats (an A-number as 'A123-456-789', instants in UTC with
 * milliseconds, an approval past its expiry reading EXPIRED).
 */

export interface BenchQuery {
  name: string;
  /** What it is, for the table. */
  title: string;
  graphql: string;
  variables: Record<string, unknown>;
  /** One statement returning one row with the whole answer as text in `body`. */
  sql: string;
  params: unknown[];
}

/** Who asks and about what: a supervisor's office, and one of its cases. */
export interface QueryTarget {
  officeId: string;
  caseId: string;
  /** Suffix of the names (e.g. '-big' for the big office). */
  suffix?: string;
}

const CASE_SELECTION = `id status office { code name }
  facts { terrorismOrEspionage firstPresentOn borderApprehension { date location }
          convictions { offense convictedOn aggravatedFelony } }
  assessments { policyVersion presumedPriority categories summary }
  approvalRequests { status actionType }`;

const IDENTITY = `subject { name aNumber }`;

/** The stored status as the API shows it: an approval read after its expiry is EXPIRED. */
const statusSql = (r: string) =>
  `CASE WHEN ${r}.status = 'APPROVED' AND ${r}.expires_at <= now() THEN 'EXPIRED' ELSE ${r}.status::text END`;

const instantSql = (column: string) =>
  `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/** One case as the selection above (with the subject's identity when asked), built in SQL. */
function caseNodeSql(identity: boolean): string {
  return `json_build_object(
    'id', c.id, 'status', c.status,
    'office', json_build_object('code', o.code, 'name', o.name),
    'facts', json_build_object(
      'terrorismOrEspionage', c.terrorism_or_espionage,
      'firstPresentOn', c.first_present_on,
      'borderApprehension', CASE WHEN c.border_apprehension_date IS NOT NULL THEN json_build_object(
        'date', c.border_apprehension_date, 'location', c.border_apprehension_location) END,
      'convictions', (SELECT coalesce(json_agg(json_build_object(
          'offense', v.offense, 'convictedOn', v.convicted_on, 'aggravatedFelony', v.aggravated_felony)
          ORDER BY v.convicted_on, v.id), '[]') FROM convictions v WHERE v.case_id = c.id)),
    'assessments', (SELECT coalesce(json_agg(json_build_object(
        'policyVersion', a.policy_version_code, 'presumedPriority', a.presumed_priority,
        'categories', a.categories, 'summary', a.summary)
        ORDER BY a.assessed_at DESC, a.id DESC), '[]') FROM assessments a WHERE a.case_id = c.id),
    'approvalRequests', (SELECT coalesce(json_agg(json_build_object(
        'status', ${statusSql('r')}, 'actionType', r.action_type)
        ORDER BY r.requested_at, r.id), '[]') FROM approval_requests r WHERE r.case_id = c.id)${
          identity
            ? `,
    'subject', json_build_object('name', c.subject_name, 'aNumber',
        'A' || substr(c.subject_a_number, 1, 3) || '-' || substr(c.subject_a_number, 4, 3) || '-' || substr(c.subject_a_number, 7, 3))`
            : ''
        })`;
}

function pageQuery(name: string, first: number, identity: boolean, t: QueryTarget): BenchQuery {
  return {
    name: `${name}${t.suffix ?? ''}`,
    title: `cases(first: ${first})${identity ? ' with subject { name aNumber }' : ''}`,
    graphql: `query Page($first: Int) { cases(first: $first) { edges { node { ${CASE_SELECTION} ${identity ? IDENTITY : ''} } } } }`,
    variables: { first },
    sql: `SELECT json_build_object('data', json_build_object('cases', json_build_object('edges',
             coalesce(json_agg(json_build_object('node', p.node) ORDER BY p.created_at DESC, p.id DESC), '[]'))))::text AS body
            FROM (SELECT c.id, c.created_at, ${caseNodeSql(identity)} AS node
                    FROM cases c JOIN offices o ON o.id = c.office_id
                   WHERE c.office_id = $1
                   ORDER BY c.created_at DESC, c.id DESC LIMIT $2) p`,
    params: [t.officeId, first],
  };
}

export function benchQueries(t: QueryTarget): BenchQuery[] {
  const suffix = t.suffix ?? '';
  return [
    pageQuery('page50', 50, false, t),
    pageQuery('page50-identity', 50, true, t),
    {
      name: `case${suffix}`,
      title: 'case(id), same selection',
      graphql: `query One($id: ID!) { case(id: $id) { ${CASE_SELECTION} } }`,
      variables: { id: t.caseId },
      sql: `SELECT json_build_object('data', json_build_object('case', ${caseNodeSql(false)}))::text AS body
              FROM cases c JOIN offices o ON o.id = c.office_id
             WHERE c.id = $1 AND c.office_id = $2`,
      params: [t.caseId, t.officeId],
    },
    {
      name: `queue${suffix}`,
      title: 'approvalQueue(first: 50)',
      graphql: `query Queue($first: Int) { approvalQueue(first: $first) { edges { node {
          id kind actionType status requestedAt overdue justification
          case { id status } latestAssessmentSummary requestedBy { name } } } } }`,
      variables: { first: 50 },
      // Overdue: a post-action request past its deadline without a justification, or justified late.
      sql: `SELECT json_build_object('data', json_build_object('approvalQueue', json_build_object('edges',
               coalesce(json_agg(json_build_object('node', q.node) ORDER BY q.requested_at, q.id), '[]'))))::text AS body
              FROM (SELECT r.id, r.requested_at, json_build_object(
                      'id', r.id, 'kind', r.kind, 'actionType', r.action_type, 'status', ${statusSql('r')},
                      'requestedAt', ${instantSql('r.requested_at')},
                      'overdue', r.kind = 'POST_ACTION' AND r.justification_due_at IS NOT NULL
                                 AND coalesce(r.justification_submitted_at, now()) > r.justification_due_at,
                      'justification', r.justification,
                      'case', json_build_object('id', c.id, 'status', c.status),
                      'latestAssessmentSummary', la.summary,
                      'requestedBy', json_build_object('name', u.name)) AS node
                      FROM approval_requests r
                      JOIN cases c ON c.id = r.case_id
                      JOIN users u ON u.id = r.requested_by_id
                      LEFT JOIN assessments la ON la.id = c.latest_assessment_id
                     WHERE r.office_id = $1 AND r.status = 'PENDING'
                     ORDER BY r.requested_at, r.id LIMIT $2) q`,
      params: [t.officeId, 50],
    },
    pageQuery('page10', 10, false, t),
    pageQuery('page100', 100, false, t),
    {
      // The floor: an authenticated operation that reads nothing, so what remains is HTTP, the
      // token, the caller (cached) and GraphQL's own work per request.
      name: `floor${suffix}`,
      title: '{ __typename }, no data',
      graphql: 'query Floor { __typename }',
      variables: {},
      sql: `SELECT '{"data":{"__typename":"Query"}}'::text AS body`,
      params: [],
    },
  ];
}
