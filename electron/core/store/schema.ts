// Table types for Kysely. Column names are snake_case in SQL; units are in the names.
import type { ColumnType, Generated } from 'kysely';

export interface UsersTable {
  id: Generated<number>;
  username: string;
  display_name: string;
  role: string;
  language: string;
  password_hash: string;
  must_change_password: number;
  active: number;
  commitment_accepted_at_ms: number | null;
  commitment_version: string | null;
  created_at_ms: number;
  deactivated_at_ms: number | null;
}

export interface CameraGroupsTable {
  id: Generated<number>;
  name: string;
  description: string;
  created_at_ms: number;
}

export interface UserGroupsTable {
  user_id: number;
  group_id: number;
}

export interface SignInThrottleTable {
  /** Lower-case user name as typed, whether or not such a user exists. */
  username: string;
  failures: number;
  locked_until_ms: number;
  last_failure_at_ms: number;
}

export interface SettingsTable {
  key: string;
  value_json: string;
}

export interface AuditLogTable {
  seq: ColumnType<number, number, never>;
  at_ms: number;
  actor: string;
  action: string;
  target: string;
  outcome: string;
  details: string;
  reason: string | null;
  prev_hash: string;
  hash: string;
}

export interface CamerasTable {
  id: Generated<number>;
  name: string;
  site: string;
  group_id: number;
  purpose: string;
  area_type: string;
  retention_days: number;
  retention_reason: string | null;
  location: string;
  location_confidential: number;
  audio_enabled: number;
  source_kind: string;
  onvif_xaddr: string | null;
  main_profile: string | null;
  sub_profile: string | null;
  main_url: string;
  sub_url: string | null;
  username: string | null;
  has_password: number;
  enabled: number;
  created_at_ms: number;
}

export interface WallsTable {
  user_id: number;
  name: string;
  layout: number;
  tiles_json: string;
  updated_at_ms: number;
}

export interface Database {
  cameras: CamerasTable;
  walls: WallsTable;
  users: UsersTable;
  camera_groups: CameraGroupsTable;
  user_groups: UserGroupsTable;
  sign_in_throttle: SignInThrottleTable;
  settings: SettingsTable;
  audit_log: AuditLogTable;
}
