import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

@Entity('offices')
export class OfficeEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** Short code such as `NYC`, unique. */
  @Index('offices_code_key', { unique: true })
  @Column({ type: 'varchar', length: 8 })
  code: string;

  @Column({ type: 'varchar', length: 200 })
  name: string;

  /** IANA zone; weeks and deadlines are counted in it. */
  @Column({ type: 'varchar', length: 64 })
  timeZone: string;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;
}
