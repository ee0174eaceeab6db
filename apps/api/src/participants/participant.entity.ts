import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

export type ParticipantRole = 'hunter' | 'farmer';

/** A seller. The id is the contest file's (`"p1"`, a CRM user id, …), so it is text. */
@Entity({ name: 'participants' })
export class ParticipantEntity {
  @PrimaryColumn({ type: 'text' })
  id: string;

  @Column({ type: 'text' })
  name: string;

  @Column({ name: 'team_id', type: 'uuid', nullable: true })
  teamId: string | null;

  @Column({ type: 'text' })
  role: ParticipantRole;

  @Column({ name: 'hired_on', type: 'date', nullable: true })
  hiredOn: string | null;

  @Column({ name: 'is_newcomer', type: 'boolean', nullable: true })
  isNewcomer: boolean | null;

  @Column({ type: 'text', nullable: true })
  league: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
