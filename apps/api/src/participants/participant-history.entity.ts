import { Column, Entity, PrimaryColumn, type ValueTransformer } from 'typeorm';

/** bigint columns hold minor units the API validated as safe integers, so a number is exact. */
const minorTransformer: ValueTransformer = {
  to: (value: number) => value,
  from: (value: string | null) => (value === null ? null : Number(value)),
};

/** One month of a participant's results, as the simulator reads it. `month` is its first day. */
@Entity({ name: 'participant_history' })
export class ParticipantHistoryEntity {
  @PrimaryColumn({ name: 'participant_id', type: 'text' })
  participantId: string;

  @PrimaryColumn({ type: 'date' })
  month: string;

  @Column({ name: 'turnover_minor', type: 'bigint', transformer: minorTransformer })
  turnoverMinor: number;

  @Column({ name: 'margin_minor', type: 'bigint', transformer: minorTransformer })
  marginMinor: number;

  @Column({ type: 'integer', nullable: true })
  deals: number | null;

  @Column({ name: 'new_clients', type: 'integer', nullable: true })
  newClients: number | null;

  @Column({ type: 'integer', nullable: true })
  leads: number | null;

  @Column({ type: 'jsonb', nullable: true })
  products: Record<string, { turnoverMinor?: number; units?: number }> | null;

  @Column({ type: 'jsonb', nullable: true })
  counters: Record<string, number> | null;
}
