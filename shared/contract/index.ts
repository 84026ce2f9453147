// The command contract (docs/design/overview.md §2): every command of the console, composed from
// one contract file per feature. A command's name is its key; types come from the schemas
// (z.infer), nothing is mirrored by hand.
import type { z } from 'zod';
import { ACCESS_REVIEW_COMMANDS } from './access-review';
import { ACCESS_COMMANDS } from './access';
import { ADMIN_COMMANDS } from './admin';
import { ALARM_COMMANDS } from './alarms';
import { AUDIT_COMMANDS } from './audit';
import { AUTH_COMMANDS } from './auth';
import { BREACH_COMMANDS } from './breaches';
import { CAMERA_COMMANDS } from './cameras';
import { EXPORT_COMMANDS } from './exports';
import { HOLDS_COMMANDS } from './holds';
import { INCIDENT_COMMANDS } from './incidents';
import { LIVE_COMMANDS } from './live';
import { MASK_COMMANDS } from './masks';
import { PLAYBACK_COMMANDS } from './playback';
import { PTZ_COMMANDS } from './ptz';
import { RECORDING_COMMANDS } from './recording';
import { SEAT_COMMANDS } from './seats';
import { SITE_COMMANDS } from './site';
import { SUBJECT_REQUEST_COMMANDS } from './subject-requests';
import { NODE_COMMANDS } from './nodes';

export * from './define';
export * from './fields';
export * from './access-review';
export * from './access';
export * from './admin';
export * from './alarms';
export * from './audit';
export * from './audit-actions';
export * from './auth';
export * from './breaches';
export * from './cameras';
export * from './engine-events';
export * from './exports';
export * from './holds';
export * from './incidents';
export * from './live';
export * from './masks';
export * from './playback';
export * from './ptz';
export * from './recording';
export * from './seats';
export * from './site';
export * from './subject-requests';
export * from './nodes';
export { ERROR_KINDS } from '../result';

/** The features, each with its commands. The engine composes one handler set per feature. */
export const FEATURES = {
  auth: AUTH_COMMANDS,
  admin: ADMIN_COMMANDS,
  audit: AUDIT_COMMANDS,
  cameras: CAMERA_COMMANDS,
  masks: MASK_COMMANDS,
  live: LIVE_COMMANDS,
  recording: RECORDING_COMMANDS,
  holds: HOLDS_COMMANDS,
  playback: PLAYBACK_COMMANDS,
  incidents: INCIDENT_COMMANDS,
  exports: EXPORT_COMMANDS,
  site: SITE_COMMANDS,
  alarms: ALARM_COMMANDS,
  seats: SEAT_COMMANDS,
  breaches: BREACH_COMMANDS,
  access: ACCESS_COMMANDS,
  accessReview: ACCESS_REVIEW_COMMANDS,
  subjects: SUBJECT_REQUEST_COMMANDS,
  ptz: PTZ_COMMANDS,
  nodes: NODE_COMMANDS,
} as const;
export type Features = typeof FEATURES;
export type FeatureName = keyof Features;

export const COMMANDS = {
  ...AUTH_COMMANDS,
  ...ADMIN_COMMANDS,
  ...AUDIT_COMMANDS,
  ...CAMERA_COMMANDS,
  ...MASK_COMMANDS,
  ...LIVE_COMMANDS,
  ...RECORDING_COMMANDS,
  ...HOLDS_COMMANDS,
  ...PLAYBACK_COMMANDS,
  ...INCIDENT_COMMANDS,
  ...EXPORT_COMMANDS,
  ...SITE_COMMANDS,
  ...ALARM_COMMANDS,
  ...SEAT_COMMANDS,
  ...BREACH_COMMANDS,
  ...ACCESS_COMMANDS,
  ...ACCESS_REVIEW_COMMANDS,
  ...SUBJECT_REQUEST_COMMANDS,
  ...PTZ_COMMANDS,
  ...NODE_COMMANDS,
} as const;

export type Commands = typeof COMMANDS;
export type CommandName = keyof Commands;
export type RequestOf<N extends CommandName> = z.input<Commands[N]['request']>;
export type ParsedRequestOf<N extends CommandName> = z.output<Commands[N]['request']>;
export type ResponseOf<N extends CommandName> = z.output<Commands[N]['response']>;
/** The names of one feature's commands. */
export type CommandOf<F extends FeatureName> = keyof Features[F] & CommandName;

export const COMMAND_NAMES = Object.keys(COMMANDS) as CommandName[];

export function isCommandName(name: unknown): name is CommandName {
  return typeof name === 'string' && Object.hasOwn(COMMANDS, name);
}
