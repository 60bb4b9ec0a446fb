import 'reflect-metadata';
import type { GraphQLSchema } from 'graphql';
import { applyMiddleware } from 'graphql-middleware';
import { buildSchema } from 'type-graphql';
import { permissions } from '../auth/shield';
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
] as const;

/** The schema as the code declares it (what `schema/schema.graphql` snapshots). */
export async function buildBareSchema(): Promise<GraphQLSchema> {
  return buildSchema({
    resolvers: RESOLVERS,
    validate: { forbidUnknownValues: false, stopAtFirstError: false },
  });
}

/** The schema the server runs: every field behind the shield. */
export async function buildServedSchema(): Promise<GraphQLSchema> {
  return applyMiddleware(await buildBareSchema(), permissions);
}
