import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** A CRM user mapped to a participant: one participant per `(source, externalId)`. */
@Entity({ name: 'participant_external_ids' })
export class ParticipantExternalIdEntity {
  @PrimaryColumn({ type: 'text' })
  source: string;

  @PrimaryColumn({ name: 'external_id', type: 'text' })
  externalId: string;

  @Column({ name: 'participant_id', type: 'text' })
  participantId: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
