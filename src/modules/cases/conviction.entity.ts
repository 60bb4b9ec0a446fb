import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { CaseEntity } from './case.entity';
import { OfficeEntity } from '../users/office.entity';

/** A criminal conviction of a case's subject. `officeId` repeats the case's, so every table carries its tenant key. */
@Entity('convictions')
@Index('convictions_case_idx', ['caseId', 'convictedOn', 'id'])
export class ConvictionEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  caseId: string;

  @ManyToOne(() => CaseEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'case_id', foreignKeyConstraintName: 'convictions_case_id_fkey' })
  case?: CaseEntity;

  @Index('convictions_office_id_idx')
  @Column({ type: 'uuid' })
  officeId: string;

  @ManyToOne(() => OfficeEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'office_id', foreignKeyConstraintName: 'convictions_office_id_fkey' })
  office?: OfficeEntity;

  @Column({ type: 'varchar', length: 300 })
  offense: string;

  @Column({ type: 'varchar', length: 200 })
  jurisdiction: string;

  @Column({ type: 'date' })
  convictedOn: string;

  /** Aggravated felony under INA 101(a)(43). */
  @Column({ type: 'boolean' })
  aggravatedFelony: boolean;

  /** The subparagraph of INA 101(a)(43), `A` to `U`, when `aggravatedFelony`. */
  @Column({ type: 'varchar', length: 1, nullable: true })
  aggravatedFelonySubparagraph: string | null;

  /** An element of the offense was active participation in a criminal street gang (18 U.S.C. 521(a)). */
  @Column({ type: 'boolean' })
  gangParticipationElement: boolean;

  @Column({ type: 'boolean', default: false })
  vacated: boolean;

  @Column({ type: 'timestamptz' })
  createdAt: Date;
}
