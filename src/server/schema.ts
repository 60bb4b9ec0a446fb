import 'reflect-metadata';
import type { GraphQLSchema } from 'graphql';
import { applyMiddleware } from 'graphql-middleware';
import { buildSchema, getMetadataStorage } from 'type-graphql';
import { enforceRule, permissions } from '../auth/shield';
import type { RequestContext } from '../common/context';
import {
  AssessmentResolver,
  CaseAssessmentResolver,
} from '../modules/assessments/assessment.resolver';
import {
  ApprovalRequestConnectionResolver,
  ApprovalResolver,
  CaseApprovalsResolver,
} from '../modules/approvals/approval.resolver';
import { AuditResolver } from '../modules/audit/audit.resolver';
import {
  CaseActionsResolver,
  EnforcementActionResolver,
  EnforcementActionVoidResolver,
} from '../modules/enforcement-actions/enforcement-action.resolver';
import {
  CaseConnectionResolver,
  CaseFactsResolver,
  CaseResolver,
} from '../modules/cases/case.resolver';
import { UserResolver } from '../modules/users/user.resolver';
import { LiveResolver } from '../modules/live/live.resolver';
import {
  WebhookConnectionResolver,
  WebhookDeliveryConnectionResolver,
  WebhookDeliveryResolver,
  WebhookResolver,
} from '../modules/webhooks/webhook.resolver';
import {
  WeeklyReportActionConnectionResolver,
  WeeklyReportResolver,
  WeeklyReportRevisionResolver,
} from '../modules/weekly-reports/weekly-report.resolver';
import { StatsPageResolver } from '../modules/weekly-reports/stats.resolver';
import {
  ApprovalStatsConnectionResolver,
  EnforcementStatsConnectionResolver,
} from '../modules/weekly-reports/stats.connection';

export const RESOLVERS = [
  UserResolver,
  CaseResolver,
  CaseFactsResolver,
  CaseConnectionResolver,
  AssessmentResolver,
  CaseAssessmentResolver,
  ApprovalResolver,
  ApprovalRequestConnectionResolver,
  CaseApprovalsResolver,
  EnforcementActionResolver,
  EnforcementActionVoidResolver,
  CaseActionsResolver,
  WeeklyReportResolver,
  WeeklyReportRevisionResolver,
  WeeklyReportActionConnectionResolver,
  StatsPageResolver,
  EnforcementStatsConnectionResolver,
  ApprovalStatsConnectionResolver,
  AuditResolver,
  LiveResolver,
  WebhookResolver,
  WebhookDeliveryResolver,
  WebhookConnectionResolver,
  WebhookDeliveryConnectionResolver,
] as const;

/**
 * Every subscription brings its own `subscribe` (modules/live: the live hub); type-graphql still
 * asks for a topic-based PubSub when a schema has subscriptions, which nothing may use.
 */
export const NO_TOPIC_PUBSUB = {
  publish(): never {
    throw new Error('no topic-based PubSub: publish through the live hub');
  },
  subscribe(): never {
    throw new Error('no topic-based PubSub: subscribe through the live hub');
  },
};

/**
 * The schema as the code declares it (what `schema/schema.graphql` snapshots), without the shield.
 *
 * Two of type-graphql's per-field costs go, since no resolver uses middleware and no object type
 * or entity has methods: a plain field (no field resolver) gets no resolver (one would only read
 * the property; the executor reads it inline), and a field resolver's `@Root()` gets the parent
 * as it is, not copied into a new instance of its declared class on every call (loaders hand
 * resolvers plain rows).
 */
export async function buildBareSchema(): Promise<GraphQLSchema> {
  const metadata = getMetadataStorage();
  for (const type of metadata.objectTypes) type.simpleResolvers ??= true;
  for (const param of metadata.params)
    if (param.kind === 'root') (param as { getType?: unknown }).getType = undefined;
  const schema = await buildSchema({
    resolvers: RESOLVERS,
    pubSub: NO_TOPIC_PUBSUB,
    validate: { forbidUnknownValues: false, stopAtFirstError: false },
  });
  // type-graphql has no option for the root types' own descriptions.
  const roots = [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()];
  roots.forEach((root, i) => {
    if (root && !root.description) root.description = ROOT_DESCRIPTIONS[i];
  });
  return schema;
}

const ANY_OPERATION =
  'Any operation may also answer UNAUTHENTICATED (no, bad or expired token; unknown or deactivated user), FORBIDDEN (your role may not call it), RATE_LIMITED (HTTP 429, over RATE_LIMIT_PER_MINUTE; `Retry-After`), REQUEST_TIMEOUT (over REQUEST_TIMEOUT_MS) or SERVICE_UNAVAILABLE (HTTP 503, the database is down, read-only or full; `Retry-After`; safe to retry), and INTERNAL_SERVER_ERROR for anything unexpected (a generic message; details only in the server log). NOT_FOUND is the same answer for a record that does not exist and one of another office.';

/** Query, Mutation, Subscription. */
const ROOT_DESCRIPTIONS = [
  `Reads. Records are scoped to your office (headquarters: every office). ${ANY_OPERATION}`,
  `Changes. Each mutation takes one \`input\` and runs in one transaction with its audit record: a refused one changes nothing. Send an \`Idempotency-Key\` header so that a retry cannot write twice. BAD_USER_INPUT names the input field it concerns in \`extensions.field\` (e.g. \`input.subject.aNumber\`). ${ANY_OPERATION}`,
  `Live updates over graphql-ws on /graphql. ${ANY_OPERATION}`,
];

/** The schema the server runs, every field behind the shield, and the same schema bare. */
export interface ServedSchemas {
  served: GraphQLSchema;
  /**
   * The same types and resolvers without the shield's middleware: run only for an operation whose
   * every field the shield would let the caller read (`operationGate`, server/jit.ts).
   */
  bare: GraphQLSchema;
}

export async function buildServedSchemas(): Promise<ServedSchemas> {
  const bare = await buildBareSchema();
  const served = applyMiddleware(bare, permissions);
  // The shield decides before a subscription starts, not only at each event (see enforceRule).
  for (const field of Object.values(served.getSubscriptionType()?.getFields() ?? {})) {
    const subscribe = field.subscribe;
    if (!subscribe) continue;
    field.subscribe = (source, args, ctx: RequestContext, info) => {
      enforceRule('Subscription', field.name, ctx);
      return subscribe(source, args, ctx, info);
    };
  }
  return { bare, served };
}

/** The schema the server runs: every field behind the shield. */
export async function buildServedSchema(): Promise<GraphQLSchema> {
  return (await buildServedSchemas()).served;
}
