import type { StepName } from '../domain/lifecycle.ts';

/** The queues, one per kind of work. */
export const QUEUES = ['intake', 'review', 'steps', 'maintenance'] as const;
export type QueueName = (typeof QUEUES)[number];

/** A job as the outbox records it: ids only, never personal data (Redis is not a place for it). */
export interface JobSpec {
  queue: QueueName;
  name: string;
  /** Deterministic, so adding it twice is one job; BullMQ forbids ':' in custom ids. */
  jobId: string;
  data: Record<string, string | number>;
  /** Run no earlier than this. */
  notBefore?: Date;
}

export const jobs = {
  intake: (applicationId: string): JobSpec => ({
    queue: 'intake',
    name: 'intake',
    jobId: `intake-${applicationId}`,
    data: { applicationId },
  }),
  card: (applicationId: string, version: string | number = 0): JobSpec => ({
    queue: 'review',
    name: 'card',
    jobId: `card-${applicationId}-${version}`,
    data: { applicationId },
  }),
  remind: (applicationId: string, at: Date): JobSpec => ({
    queue: 'review',
    name: 'remind',
    jobId: `remind-${applicationId}`,
    data: { applicationId },
    notBefore: at,
  }),
  escalate: (applicationId: string, at: Date): JobSpec => ({
    queue: 'review',
    name: 'escalate',
    jobId: `escalate-${applicationId}`,
    data: { applicationId },
    notBefore: at,
  }),
  step: (applicationId: string, step: StepName, generation: number): JobSpec => ({
    queue: 'steps',
    name: step,
    jobId: `step-${applicationId}-${step}-${generation}`,
    data: { applicationId, step, generation },
  }),
};
