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
  WeeklyReportResolver,
  WeeklyReportRevisionResolver,
} from '../modules/weekly-reports/weekly-report.resolver';

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
  AuditResolver,
  LiveResolver,
] as const;

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
  return buildSchema({
    resolvers: RESOLVERS,
    // Every subscription brings its own `subscribe` (modules/live: the live hub); type-graphql
    // still asks for a topic-based PubSub, which nothing may use.
    pubSub: {
      publish() {
        throw new Error('no topic-based PubSub: publish through the live hub');
      },
      subscribe() {
        throw new Error('no topic-based PubSub: subscribe through the live hub');
      },
    },
    validate: { forbidUnknownValues: false, stopAtFirstError: false },
  });
}

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
