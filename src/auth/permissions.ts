/**
 * The one table of who may do what. The shield map (auth/shield.ts) reads it for operations and
 * fields; services read `officeScope` to filter every query by the caller's office.
 */
import { Role } from './role';

export enum Permission {
  /** Read offices, one's own profile and policy versions. */
  SignedIn = 'SignedIn',
  ReadCases = 'ReadCases',
  /** Open, assess and close cases, request approvals, record actions: field work in one's own office. */
  WorkCases = 'WorkCases',
  /** Decide the office's approval requests and read its queue. */
  DecideApprovals = 'DecideApprovals',
  /**
   * Subscribe to approval queues' changes: a supervisor hears every change to their office's
   * queue, headquarters the escalations of every office (modules/live/live.access.ts).
   */
  WatchApprovalQueues = 'WatchApprovalQueues',
  /** Read weekly reports and figures (supervisors: their office; headquarters: all). */
  ReadReports = 'ReadReports',
  /** Submit and amend the office's weekly reports. */
  SubmitReports = 'SubmitReports',
  /** See which offices reported on time. */
  ReadCompliance = 'ReadCompliance',
  /** See a case subject's name, date of birth, A-number and citizenship. */
  ReadSubjectIdentity = 'ReadSubjectIdentity',
  /** Create offices and users, deactivate users. */
  Administer = 'Administer',
  /** Set policy versions' effective dates. */
  ManagePolicy = 'ManagePolicy',
  ReadAuditTrail = 'ReadAuditTrail',
  VerifyAuditIntegrity = 'VerifyAuditIntegrity',
  /** Register and remove webhooks, read their deliveries (headquarters). */
  ManageWebhooks = 'ManageWebhooks',
}

const FIELD_WORK = [
  Permission.SignedIn,
  Permission.ReadCases,
  Permission.WorkCases,
  Permission.ReadSubjectIdentity,
];

export const ROLE_PERMISSIONS: Readonly<Record<Role, ReadonlySet<Permission>>> = {
  [Role.FIELD_OFFICER]: new Set(FIELD_WORK),
  [Role.SUPERVISOR]: new Set([
    ...FIELD_WORK,
    Permission.DecideApprovals,
    Permission.WatchApprovalQueues,
    Permission.ReadReports,
    Permission.SubmitReports,
    Permission.ReadAuditTrail,
  ]),
  [Role.HEADQUARTERS]: new Set([
    Permission.SignedIn,
    Permission.ReadCases,
    Permission.ReadSubjectIdentity,
    Permission.Administer,
    Permission.ManagePolicy,
    Permission.ReadReports,
    Permission.ReadCompliance,
    Permission.WatchApprovalQueues,
    Permission.ReadAuditTrail,
    Permission.VerifyAuditIntegrity,
    Permission.ManageWebhooks,
  ]),
};

export function hasPermission(role: Role, permission: Permission): boolean {
  return ROLE_PERMISSIONS[role].has(permission);
}

/**
 * Which offices' records a caller may read: headquarters every office (`undefined`), everyone else
 * their own office only.
 */
export function readScope(caller: { role: Role; officeId: string | null }): string | undefined {
  if (caller.role === Role.HEADQUARTERS) return undefined;
  if (caller.officeId === null) throw new Error(`${caller.role} without an office`);
  return caller.officeId;
}

/** A supervisor of `officeId`: who decides and corrects the office's records. */
export function supervises(
  caller: { role: Role; officeId: string | null },
  officeId: string,
): boolean {
  return caller.role === Role.SUPERVISOR && caller.officeId === officeId;
}

/** The record's author, or a supervisor of its office: who may void or justify it. */
export function authorOrSupervisor(
  caller: { id: string; role: Role; officeId: string | null },
  record: { authorId: string; officeId: string },
): boolean {
  return caller.id === record.authorId || supervises(caller, record.officeId);
}
