import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

@Entity({ name: 'displays' })
export class DisplayEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'text' })
  name: string;

  /** SHA-256 of the display token. */
  @Column({ name: 'token_hash', type: 'bytea' })
  tokenHash: Buffer;

  @Column({ name: 'created_by', type: 'uuid', nullable: true })
  createdBy: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt: Date | null;
}

@Entity({ name: 'display_contests' })
export class DisplayContestEntity {
  @Column({ name: 'display_id', type: 'uuid', primary: true })
  displayId: string;

  @Column({ name: 'contest_id', type: 'uuid', primary: true })
  contestId: string;

  /** Order in which the display rotates through its contests. */
  @Column({ type: 'integer' })
  position: number;
}
