import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { OfficeEntity } from '../users/office.entity';
import { UserEntity } from '../users/user.entity';

export enum CaseStatus {
  OPEN = 'OPEN',
  CLOSED = 'CLOSED',
}

export enum CriminalOrganizationKind {
  CRIMINAL_STREET_GANG = 'CRIMINAL_STREET_GANG',
  TRANSNATIONAL_CRIMINAL_ORGANIZATION = 'TRANSNATIONAL_CRIMINAL_ORGANIZATION',
}

/**
 * One subject under consideration in one office: the identity (personal data) and the facts the
 * policy engine reads. Calendar dates are `date` columns read as 'YYYY-MM-DD' strings; a null
 * date means "not known", never a guess.
 */
@Entity('cases')
@Index('cases_office_created_idx', ['officeId', 'createdAt', 'id'])
@Index('cases_created_idx', ['createdAt', 'id'])
@Index('cases_office_officer_idx', ['officeId', 'assignedOfficerId'])
export class CaseEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  officeId: string;

  @ManyToOne(() => OfficeEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'office_id', foreignKeyConstraintName: 'cases_office_id_fkey' })
  office?: OfficeEntity;

  @Column({ type: 'enum', enum: CaseStatus, enumName: 'case_status', default: CaseStatus.OPEN })
  status: CaseStatus;

  @Column({ type: 'uuid' })
  assignedOfficerId: string;

  @ManyToOne(() => UserEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({
    name: 'assigned_officer_id',
    foreignKeyConstraintName: 'cases_assigned_officer_id_fkey',
  })
  assignedOfficer?: UserEntity;

  @Column({ type: 'uuid' })
  openedById: string;

  @ManyToOne(() => UserEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'opened_by_id', foreignKeyConstraintName: 'cases_opened_by_id_fkey' })
  openedBy?: UserEntity;

  /** Incremented by every change; `expectedVersion` in mutations guards against lost updates. */
  @Column({ type: 'integer', default: 1 })
  version: number;

  // --- subject identity (personal data) ---
  @Column({ type: 'varchar', length: 200 })
  subjectName: string;

  @Column({ type: 'date' })
  subjectDateOfBirth: string;

  /** Nine digits, no prefix or dashes. */
  @Index('cases_subject_a_number_idx')
  @Column({ type: 'char', length: 9, name: 'subject_a_number' })
  subjectANumber: string;

  /** ISO 3166-1 alpha-2. */
  @Column({ type: 'char', length: 2 })
  subjectCitizenship: string;

  // --- facts: national security ---
  @Column({ type: 'boolean', default: false })
  terrorismOrEspionage: boolean;

  // --- facts: border ---
  @Column({ type: 'date', nullable: true })
  borderApprehensionDate: string | null;

  @Column({ type: 'varchar', length: 200, nullable: true })
  borderApprehensionLocation: string | null;

  /** When the subject was first physically present in the United States; null = unknown. */
  @Column({ type: 'date', nullable: true })
  firstPresentOn: string | null;

  // --- facts: custody ---
  @Column({ type: 'date', nullable: true })
  lastReleasedFromCustodyOn: string | null;

  // --- facts: gang or transnational criminal organization participation (null: none recorded) ---
  @Column({ type: 'varchar', length: 200, nullable: true })
  gangOrganization: string | null;

  @Column({
    type: 'enum',
    enum: CriminalOrganizationKind,
    enumName: 'criminal_organization_kind',
    nullable: true,
  })
  gangKind: CriminalOrganizationKind | null;

  @Column({ type: 'boolean', nullable: true })
  gangIntentional: boolean | null;

  @Column({ type: 'boolean', nullable: true })
  gangFurtheredIllegalActivity: boolean | null;

  @Column({ type: 'smallint', nullable: true })
  gangAgeAtParticipation: number | null;

  // --- facts: vulnerability flags that gate removal ---
  @Column({ type: 'boolean', default: false })
  elderly: boolean;

  @Column({ type: 'boolean', default: false })
  seriousIllness: boolean;

  @Column({ type: 'boolean', default: false })
  pendingReliefApplication: boolean;

  // --- the policy engine's current word on the case ---
  /** The most recent assessment; older ones stay, superseded. Null until first assessed. */
  @Index('cases_latest_assessment_idx')
  @Column({ type: 'uuid', nullable: true })
  latestAssessmentId: string | null;

  // Declared for its foreign key only, never loaded: assessments import cases, so the target is named
  // by string and the property left untyped (no import back, not even of a type).
  @ManyToOne('AssessmentEntity', { onDelete: 'RESTRICT' })
  @JoinColumn({
    name: 'latest_assessment_id',
    foreignKeyConstraintName: 'cases_latest_assessment_id_fkey',
  })
  latestAssessment?: object;

  // --- lifecycle ---
  @Column({ type: 'timestamptz' })
  createdAt: Date;

  @Column({ type: 'timestamptz' })
  updatedAt: Date;

  @Column({ type: 'timestamptz', nullable: true })
  closedAt: Date | null;

  @Column({ type: 'text', nullable: true })
  closeReason: string | null;
}
