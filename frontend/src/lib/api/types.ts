import type { components } from './schema';

export type Schemas = components['schemas'];

export type Job = Schemas['Job'];
export type JobDetail = Schemas['JobDetail'];
export type JobPage = Schemas['JobPage'];
export type JobStatus = Schemas['JobStatus'];
export type Variant = Schemas['Variant'];
export type VariantMetadata = Schemas['VariantMetadata'];
export type LintFinding = Schemas['LintFinding'];
export type Preset = Schemas['Preset'];
export type PresetRequest = Schemas['PresetRequest'];
export type PresetParams = Schemas['PresetParams'];
export type User = Schemas['User'];
export type TokenPair = Schemas['TokenPair'];
export type Problem = Schemas['Problem'];
export type FieldError = Schemas['FieldError'];
export type FailedCheck = Schemas['FailedCheck'];
export type ExportFormat = Schemas['ExportFormat'];
export type CreateJobRequest = Schemas['CreateJobRequest'];
export type ApiToken = Schemas['ApiToken'];
export type CreateTokenRequest = Schemas['CreateTokenRequest'];
export type Schedule = Schemas['Schedule'];
export type FeedStatus = Schemas['FeedStatus'];
export type ScheduleList = Schemas['ScheduleList'];
export type ScheduleStatus = Schemas['ScheduleStatus'];
export type Occurrence = Schemas['Occurrence'];
export type ScheduleRun = Schemas['ScheduleRun'];
export type RunStatus = Schemas['RunStatus'];
export type CreateScheduleRequest = Schemas['CreateScheduleRequest'];
export type UpdateScheduleRequest = Schemas['UpdateScheduleRequest'];
export type ImportResult = Schemas['ImportResult'];
export type Kpis = Schemas['Kpis'];
export type PostResults = Schemas['PostResults'];
export type ResultKpis = Schemas['ResultKpis'];
export type TopPost = Schemas['TopPost'];
export type Role = Schemas['Role'];
export type Usage = Schemas['Usage'];
export type Allowance = Schemas['Allowance'];
export type Tool = Schemas['Tool'];
export type ToolConfig = Schemas['ToolConfig'];
export type ToolKind = Schemas['ToolKind'];
export type UpdateToolRequest = Schemas['UpdateToolRequest'];
export type ManagedUser = Schemas['ManagedUser'];
export type UserPage = Schemas['UserPage'];
export type AuditEntry = Schemas['AuditEntry'];
export type AuditKind = Schemas['AuditKind'];
export type AuditPage = Schemas['AuditPage'];
export type WebhookSettings = Schemas['WebhookSettings'];
export type Connection = Schemas['Connection'];
export type AccountChoice = Schemas['AccountChoice'];
export type ChoosableAccount = Schemas['ChoosableAccount'];
export type ConnectionStatus = Schemas['ConnectionStatus'];
export type ConnectBlueskyRequest = Schemas['ConnectBlueskyRequest'];
export type Network = Schemas['Network'];
export type Weekday = Schemas['Weekday'];
export type Slot = Schemas['Slot'];
export type SlotSet = Schemas['SlotSet'];
export type QueueList = Schemas['QueueList'];
export type QueueSlot = Schemas['QueueSlot'];
export type MoveResult = Schemas['MoveResult'];
export type OpenSlot = Schemas['OpenSlot'];

export const JOB_STATUSES: readonly JobStatus[] = [
  'draft',
  'queued',
  'running',
  'needs_review',
  'done',
  'failed',
];

export type Channel = Schemas['Channel'];
export const CHANNELS: readonly Channel[] = [
  'linkedin',
  'x',
  'newsletter',
  'blog',
  'bluesky',
  'mastodon',
];

/** What a new job or preset starts with, as the API defaults a job that names no channels. */
export const DEFAULT_CHANNELS: readonly Channel[] = ['linkedin', 'x', 'newsletter', 'blog'];

export const CHANNEL_LABELS: Record<Channel, string> = {
  linkedin: 'LinkedIn',
  x: 'X',
  newsletter: 'Newsletter',
  blog: 'Blog',
  bluesky: 'Bluesky',
  mastodon: 'Mastodon',
};

export type Tone = Schemas['Tone'];
export const TONES: readonly Tone[] = ['professional', 'casual', 'friendly', 'bold'];
export const X_FORMATS = ['auto', 'single', 'thread'] as const;
export const EXPORT_FORMATS: readonly ExportFormat[] = ['txt', 'md', 'html', 'json'];

export function isChannel(value: string): value is Channel {
  return (CHANNELS as readonly string[]).includes(value);
}
