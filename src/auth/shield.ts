/**
 * The shield map: which role may call each operation and read each field. Deny by default: a field
 * missing here is refused, and a test checks that every field of the schema is listed. Rules read
 * only the caller (never arguments or the parent), so caching them per request is safe; office
 * scoping and item checks live in the services.
 */
import type { GraphQLSchema } from 'graphql';
import { middleware, type IMiddlewareTypeMap } from 'graphql-middleware';
import { allow, and, deny, rule, shield } from 'graphql-shield';
import type { ShieldRule } from 'graphql-shield/typings/types';
import type { RequestContext } from '../common/context';
import type { Selection } from '../common/selection';
import { forbidden, unauthenticated } from '../common/errors';
import { hasPermission, Permission } from './permissions';

const signedIn = rule('signedIn', { cache: 'contextual' })((_parent, _args, ctx: RequestContext) =>
  ctx.caller ? true : (ctx.authError ?? unauthenticated()),
);

/**
 * Each rule's decision as a plain function of the caller, for the gate below. Rules read only the
 * caller, so the two always agree (a test holds them equal for every rule and role).
 */
const PREDICATES = new Map<ShieldRule, (ctx: RequestContext) => boolean>([
  [allow, () => true],
  [deny, () => false],
  [signedIn, (ctx) => ctx.caller !== null],
]);

const permissionRules = new Map<Permission, ReturnType<typeof and>>();

/** Signed in (else UNAUTHENTICATED) and the role holds `permission` (else FORBIDDEN). */
export function can(permission: Permission) {
  let composed = permissionRules.get(permission);
  if (!composed) {
    const holds = rule(`can:${permission}`, { cache: 'contextual' })(
      (_parent, _args, ctx: RequestContext) =>
        ctx.caller && hasPermission(ctx.caller.role, permission) ? true : forbidden(),
    );
    composed = and(signedIn, holds);
    permissionRules.set(permission, composed);
    PREDICATES.set(composed, (ctx) => !!ctx.caller && hasPermission(ctx.caller.role, permission));
  }
  return composed;
}

/**
 * Operations first; then every object type, field by field where a field is sensitive.
 *
 * Row types of reports and figures are `allow`: they are reachable only through operations guarded
 * by ReadReports (weeklyReport, enforcementStats, approvalStats and their paged forms), carry no identity, and a rule per
 * leaf field of every row cost seconds on a five-year answer (docs/benchmarks.md). A test checks
 * that nothing else leads to them.
 */
export const RULES: Record<string, Record<string, ShieldRule>> = {
  Query: {
    me: signedIn,
    serverTime: signedIn,
    offices: signedIn,
    case: can(Permission.ReadCases),
    cases: can(Permission.ReadCases),
    policyVersions: signedIn,
    approvalRequest: can(Permission.ReadCases),
    approvalQueue: can(Permission.DecideApprovals),
    enforcementAction: can(Permission.ReadCases),
    weeklyReport: can(Permission.ReadReports),
    weeklyReports: can(Permission.ReadReports),
    reportingCompliance: can(Permission.ReadCompliance),
    enforcementStats: can(Permission.ReadReports),
    approvalStats: can(Permission.ReadReports),
    enforcementStatsPage: can(Permission.ReadReports),
    approvalStatsPage: can(Permission.ReadReports),
    auditTrail: can(Permission.ReadAuditTrail),
    auditIntegrity: can(Permission.VerifyAuditIntegrity),
    webhooks: can(Permission.ManageWebhooks),
  },
  Mutation: {
    openCase: can(Permission.WorkCases),
    updateCaseFacts: can(Permission.WorkCases),
    closeCase: can(Permission.WorkCases),
    assessCase: can(Permission.WorkCases),
    schedulePolicyVersion: can(Permission.ManagePolicy),
    requestApproval: can(Permission.WorkCases),
    withdrawApprovalRequest: can(Permission.WorkCases),
    decideApprovalRequest: can(Permission.DecideApprovals),
    submitPostActionJustification: can(Permission.WorkCases),
    recordEnforcementAction: can(Permission.WorkCases),
    voidEnforcementAction: can(Permission.WorkCases),
    submitWeeklyReport: can(Permission.SubmitReports),
    amendWeeklyReport: can(Permission.SubmitReports),
    createOffice: can(Permission.Administer),
    createUser: can(Permission.Administer),
    deactivateUser: can(Permission.Administer),
    registerWebhook: can(Permission.ManageWebhooks),
    removeWebhook: can(Permission.ManageWebhooks),
  },
  // Checked when the subscription starts; each event is then filtered by office and request
  // (modules/live/live.access.ts).
  Subscription: {
    approvalQueueChanged: can(Permission.WatchApprovalQueues),
    approvalRequestUpdated: can(Permission.ReadCases),
    deadlineApproaching: can(Permission.WorkCases),
  },
  ApprovalRequestEvent: { '*': can(Permission.ReadCases) },
  User: { '*': signedIn },
  ServerTime: { '*': signedIn },
  Office: { '*': signedIn },
  Case: { '*': can(Permission.ReadCases), subject: can(Permission.ReadSubjectIdentity) },
  Subject: { '*': can(Permission.ReadSubjectIdentity) },
  CaseFacts: { '*': can(Permission.ReadCases) },
  BorderApprehension: { '*': can(Permission.ReadCases) },
  GangParticipation: { '*': can(Permission.ReadCases) },
  Vulnerability: { '*': can(Permission.ReadCases) },
  Conviction: { '*': can(Permission.ReadCases) },
  CaseConnection: { '*': can(Permission.ReadCases) },
  CaseEdge: { '*': can(Permission.ReadCases) },
  PageInfo: { '*': signedIn },
  Assessment: { '*': can(Permission.ReadCases) },
  AssessmentReason: { '*': can(Permission.ReadCases) },
  ApprovalRequest: { '*': can(Permission.ReadCases) },
  ApprovalRequestEdge: { '*': can(Permission.ReadCases) },
  ApprovalRequestConnection: { '*': can(Permission.ReadCases) },
  EnforcementAction: { '*': can(Permission.ReadCases) },
  EnforcementActionVoid: { '*': can(Permission.ReadCases) },
  WeeklyReport: { '*': can(Permission.ReadReports) },
  WeeklyReportAction: { '*': allow },
  WeeklyReportActionConnection: { '*': can(Permission.ReadReports) },
  WeeklyReportActionEdge: { '*': can(Permission.ReadReports) },
  WeeklyReportRequests: { '*': can(Permission.ReadReports) },
  WeeklyReportExigentAction: { '*': allow },
  WeeklyReportRevision: { '*': can(Permission.ReadReports) },
  WeeklyReportListing: { '*': can(Permission.ReadReports) },
  ReportCount: { '*': allow },
  OfficeCompliance: { '*': can(Permission.ReadCompliance) },
  EnforcementStatsRow: { '*': allow },
  ApprovalStatsRow: { '*': allow },
  EnforcementStatsConnection: { '*': can(Permission.ReadReports) },
  EnforcementStatsEdge: { '*': can(Permission.ReadReports) },
  ApprovalStatsConnection: { '*': can(Permission.ReadReports) },
  ApprovalStatsEdge: { '*': can(Permission.ReadReports) },
  PolicyVersion: { '*': signedIn },
  PolicyParameters: { '*': signedIn },
  PolicyCriterion: { '*': signedIn },
  AuditRecord: { '*': can(Permission.ReadAuditTrail) },
  AuditRecordEdge: { '*': can(Permission.ReadAuditTrail) },
  AuditRecordConnection: { '*': can(Permission.ReadAuditTrail) },
  AuditIntegrity: { '*': can(Permission.VerifyAuditIntegrity) },
  Webhook: { '*': can(Permission.ManageWebhooks) },
  WebhookRegistration: { '*': can(Permission.ManageWebhooks) },
  WebhookConnection: { '*': can(Permission.ManageWebhooks) },
  WebhookEdge: { '*': can(Permission.ManageWebhooks) },
  WebhookDelivery: { '*': can(Permission.ManageWebhooks) },
  WebhookDeliveryAttempt: { '*': can(Permission.ManageWebhooks) },
  WebhookDeliveryConnection: { '*': can(Permission.ManageWebhooks) },
  WebhookDeliveryEdge: { '*': can(Permission.ManageWebhooks) },
};

const shielded = shield(RULES, {
  fallbackRule: deny,
  fallbackError: () => forbidden('No rule allows this field.'),
  // Resolver errors are our own typed errors; the error mapper masks anything else.
  allowExternalErrors: true,
  debug: false,
});

/** The rule that applies to `type.field`: its own, else the type's wildcard, else deny. */
export function ruleOf(type: string, field: string): ShieldRule {
  const rules = RULES[type] ?? {};
  return rules[field] ?? rules['*'] ?? deny;
}

/**
 * The shield's check of `type.field` as a plain call that throws what the shield would answer
 * (UNAUTHENTICATED, FORBIDDEN). graphql-middleware wraps a subscription field's `resolve` (each
 * event), not its `subscribe`: the served schema calls this before a subscription starts.
 */
export function enforceRule(type: string, field: string, ctx: RequestContext): void {
  const r = ruleOf(type, field);
  if (PREDICATES.get(r)?.(ctx)) return;
  if (!ctx.caller) throw ctx.authError ?? unauthenticated();
  throw r === deny ? forbidden('No rule allows this field.') : forbidden();
}

/** How the gate decides one rule (undefined for a rule it does not know). */
export function predicateOf(r: ShieldRule): ((ctx: RequestContext) => boolean) | undefined {
  return PREDICATES.get(r);
}

/**
 * The shield's verdict on a whole operation, decided once per request instead of once per field:
 * true when every rule over the fields it selects lets the caller through, so that no field of it
 * could be refused. The executor then runs it on the schema without the per-field middleware
 * (server/jit.ts), and otherwise on the shielded schema, where each refusal is reported exactly
 * as before. A rule the gate does not know always sends the operation through the shield.
 */
export function operationGate(selection: Selection): (ctx: RequestContext) => boolean {
  const rules = new Set<ShieldRule>();
  for (const [type, fields] of selection) {
    if (type.startsWith('__')) continue;
    for (const field of fields) if (!field.startsWith('__')) rules.add(ruleOf(type, field));
  }
  const checks: ((ctx: RequestContext) => boolean)[] = [];
  for (const r of rules) {
    const check = PREDICATES.get(r);
    if (!check) return () => false;
    if (r !== allow) checks.push(check);
  }
  return (ctx) => checks.every((check) => check(ctx));
}

/**
 * The shield as middleware, minus the fields whose rule is `allow`: shield would still wrap each
 * in an async rule check, a promise per leaf of every row, for a check that always passes.
 */
export const permissions = middleware((schema: GraphQLSchema) => {
  const map = shielded.generate(schema) as IMiddlewareTypeMap;
  for (const [type, fields] of Object.entries(map)) {
    if (typeof fields !== 'object') continue;
    const kept = fields as Record<string, unknown>;
    for (const field of Object.keys(kept)) if (ruleOf(type, field) === allow) delete kept[field];
    if (Object.keys(kept).length === 0) delete map[type];
  }
  return map;
});
