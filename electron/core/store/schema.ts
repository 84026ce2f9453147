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
  /** When the password was last set (JON 15.6 maximum age); null: set before migration 0015. */
  password_changed_at_ms: number | null;
  /** docs/design/authorised-persons.md: 'granted' (role and groups in force) or parked: 'pending', 'refused', 'expired'. */
  access_state: Generated<string>;
}

/** A grant of rights: docs/design/authorised-persons.md (migration 0018). */
export interface AccessGrantsTable {
  id: Generated<number>;
  user_id: number;
  username: string;
  role: string;
  group_ids_json: string;
  group_names_json: string;
  basis: string;
  valid_until_ms: number | null;
  change: string;
  requested_by: string;
  requested_at_ms: number;
  state: string;
  auto: string | null;
  decided_by: string | null;
  decided_at_ms: number | null;
  decision_note: string | null;
  ended_at_ms: number | null;
  end_reason: string | null;
}

/** A password a user had before, by its hash only (JON 15.6: not chosen again). */
export interface PasswordHistoryTable {
  id: Generated<number>;
  user_id: number;
  password_hash: string;
  retired_at_ms: number;
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
  /** 1: both streams re-encoded with the permanent privacy masks burned in (migration 0014). */
  mask_at_source: Generated<number>;
  /** The node that records it while that node is up (migration 0023); null: whichever node has least. */
  home_node: Generated<string | null>;
}

export interface WallsTable {
  user_id: number;
  name: string;
  layout: number;
  tiles_json: string;
  updated_at_ms: number;
}

export interface RecordingsTable {
  id: Generated<number>;
  camera_id: number;
  path: string;
  start_ms: number;
  end_ms: number;
  bytes: number;
  state: 'open' | 'complete' | 'missing' | 'deleting';
  sha256: string | null;
  init_bytes: number;
  created_at_ms: number;
  /** Last re-check of a closed file's SHA-256 (electron/core/recording/integrity-check.ts; migration 0021). */
  checked_at_ms: Generated<number | null>;
  /** What a re-check found; null while the file is as recorded. */
  integrity: Generated<'missing' | 'changed' | null>;
  /** The engine (node) whose disk holds the file (migration 0023; docs/design/scale.md); 'local' on one machine. */
  node: Generated<string>;
}

export interface RecordingGopsTable {
  recording_id: number;
  gops: Buffer;
}

export interface RecordingGapsTable {
  id: Generated<number>;
  camera_id: number;
  start_ms: number;
  end_ms: number;
}

export interface DeletionLogTable {
  id: Generated<number>;
  camera_id: number;
  start_ms: number;
  end_ms: number;
  bytes: number;
  sha256: string;
  cause: 'retention' | 'quota' | 'manual';
  actor: string;
  deleted_at_ms: number;
}

export interface HoldsTable {
  id: Generated<number>;
  kind: 'legal' | 'data_subject';
  case_reference: string;
  legal_basis: string;
  requesting_body: string;
  reason: string;
  review_date_ms: number;
  status: 'active' | 'released';
  created_by: string;
  created_at_ms: number;
  released_by: string | null;
  released_at_ms: number | null;
  release_reason: string | null;
}

export interface HoldItemsTable {
  id: Generated<number>;
  hold_id: number;
  camera_id: number;
  from_ms: number;
  to_ms: number;
}

export interface HoldEventsTable {
  id: Generated<number>;
  hold_id: number;
  at_ms: number;
  actor: string;
  action: string;
  note: string;
  /** JSON of the engine's values for the line (shared/contract historyDetails); '{}' when none. */
  details: Generated<string>;
}

export interface AlarmsTable {
  id: Generated<number>;
  kind: string;
  severity: 'warning' | 'critical';
  message: string;
  camera_id: number | null;
  raised_at_ms: number;
  cleared_at_ms: number | null;
  params_json: Generated<string>;
  acknowledged_by: string | null;
}

export interface IncidentCategoriesTable {
  key: string;
  label: string;
  /** JSON of the names per interface language (shared/contract categoryNames); '{}' when none. */
  names_json: Generated<string>;
  active: number;
  sort_order: number;
}

export interface IncidentsTable {
  id: Generated<number>;
  category: string;
  status: 'open' | 'closed';
  source: 'live' | 'playback';
  /** Live mark: the key-press time; playback: the start of the range. */
  start_ms: number;
  end_ms: number | null;
  title: string;
  created_by: string;
  created_at_ms: number;
  closed_by: string | null;
  closed_at_ms: number | null;
}

export interface IncidentCamerasTable {
  incident_id: number;
  camera_id: number;
}

/** Append-only (triggers refuse UPDATE and DELETE). */
export interface IncidentNotesTable {
  id: Generated<number>;
  incident_id: number;
  at_ms: number;
  actor: string;
  text: string;
}

/** Append-only (triggers refuse UPDATE and DELETE). */
export interface IncidentEventsTable {
  id: Generated<number>;
  incident_id: number;
  at_ms: number;
  actor: string;
  action: string;
  note: string;
  /** JSON of the engine's values for the line (shared/contract historyDetails); '{}' when none. */
  details: Generated<string>;
}

export interface IncidentHoldsTable {
  incident_id: number;
  hold_id: number;
  linked_by: string;
  at_ms: number;
}

export interface PlaybackSessionsTable {
  /** The playback grant's id. */
  id: string;
  user_id: number;
  username: string;
  at_ms: number;
  /** Comma-separated camera ids. */
  camera_ids: string;
  from_ms: number;
  to_ms: number;
  category: string;
  reason_text: string;
  reference: string | null;
  incident_id: number | null;
  hold_id: number | null;
}

export interface ExportsTable {
  id: Generated<number>;
  status: 'pending' | 'approved' | 'rejected' | 'producing' | 'produced' | 'failed' | 'handed_over';
  body_type: 'police' | 'prosecutor' | 'court' | 'other_authority' | 'data_subject' | 'internal';
  body_name: string;
  body_reference: string;
  received_at_ms: number;
  purpose: string;
  legal_basis: string;
  urgent: number;
  recipient: string;
  incident_id: number | null;
  requested_by: string;
  requested_at_ms: number;
  /** PL | LT | CZ: the calendar the deadline was computed with. */
  country: string;
  deadline_ms: number;
  extended_until_ms: number | null;
  extension_reason: string | null;
  extended_by: string | null;
  decided_by: string | null;
  decided_at_ms: number | null;
  decision_approved: number | null;
  decision_reason: string | null;
  received_by: string | null;
  handover_at_ms: number | null;
  handover_medium: string | null;
  handover_note: string | null;
  handover_recorded_by: string | null;
  hold_id: number | null;
}

/** Append-only (triggers refuse UPDATE and DELETE). */
export interface ExportItemsTable {
  id: Generated<number>;
  export_id: number;
  camera_id: number;
  from_ms: number;
  to_ms: number;
}

/** Append-only (triggers refuse UPDATE and DELETE). */
export interface ExportEventsTable {
  id: Generated<number>;
  export_id: number;
  at_ms: number;
  actor: string;
  action: string;
  note: string;
  /** JSON of the engine's values for the line (shared/contract historyDetails); '{}' when none. */
  details: Generated<string>;
  /** The production attempt an entry is about (entries written before 0008 name none). */
  attempt: number | null;
}

/** One production attempt of an export request (migration 0008). Never deleted; a finished attempt
 *  changes only to record the deletion of the engine's copy of its package (triggers). */
export interface ExportProductionsTable {
  id: Generated<number>;
  export_id: number;
  /** 1, 2, ... per request. */
  attempt: number;
  status: 'producing' | 'produced' | 'failed' | 'cancelled';
  mode: 'copy' | 'burn_in';
  started_by: string;
  started_at_ms: number;
  finished_at_ms: number | null;
  /** 0..1, saved at most once a second while producing. */
  progress: number;
  eta_ms: number | null;
  error: string | null;
  redactions: number;
  package_path: string | null;
  manifest_sha256: string | null;
  addendum_sha256: string | null;
  signing_key_fingerprint: string | null;
  /** When the engine's copy of the package was deleted (keep period after handover over). */
  package_deleted_at_ms: number | null;
}

/** Seats of a site engine (migration 0009; owner: electron/core/seats/seat-records.ts). */
/** A wall published for every seat of a room; tiles_json as in `walls`. */
export interface RoomWallsTable {
  room: string;
  name: string;
  layout: number;
  tiles_json: string;
  published_by: string;
  published_at_ms: number;
}

/** One version of a camera's privacy masks (migration 0013; owner: electron/core/masks/masks-service.ts). */
export interface PrivacyMaskVersionsTable {
  camera_id: number;
  version: number;
  masks_json: string;
  reason: string;
  created_by: string;
  created_at_ms: number;
}

export interface SeatsTable {
  id: Generated<number>;
  name: string;
  room: string;
  created_by: string;
  created_at_ms: number;
  /** SHA-256 (hex) of the one-time enrolment code. */
  code_sha256: string;
  code_expires_at_ms: number;
  enrolled_at_ms: number | null;
  /** SHA-256 (hex) of the seat's 256-bit secret; null until it enrols. */
  credential_sha256: string | null;
  version: string | null;
  last_seen_at_ms: number | null;
  last_address: string | null;
  revoked_at_ms: number | null;
  revoked_by: string | null;
  revoke_reason: string | null;
}

/** The breach register (docs/design/breaches.md): current state; history in breach_events. */
export interface BreachesTable {
  id: Generated<number>;
  status: 'open' | 'closed';
  source: 'person' | 'engine';
  proposal: 'audit_chain' | 'audit_anchor' | 'recording_missing' | 'recording_changed' | 'access_refusals' | 'sign_in_lockouts' | null;
  proposal_key: string | null;
  what: string;
  records: string;
  discovered_at_ms: number;
  reported_at_ms: number;
  reported_by: string;
  category: 1 | 2 | 3 | null;
  assessed_by: string | null;
  assessed_at_ms: number | null;
  reasoning: string | null;
  subjects_notice: 'notify' | 'not_notify' | null;
  subjects_not_notified_reason: string | null;
  authority_notified_at_ms: number | null;
  authority_channel: string | null;
  authority_reference: string | null;
  authority_recorded_by: string | null;
  subjects_notified_at_ms: number | null;
  subjects_channel: string | null;
  subjects_reference: string | null;
  subjects_recorded_by: string | null;
  closed_by: string | null;
  closed_at_ms: number | null;
}

export interface BreachCamerasTable {
  breach_id: number;
  camera_id: number;
}

/** Append-only (triggers). */
export interface BreachEventsTable {
  id: Generated<number>;
  breach_id: number;
  at_ms: number;
  actor: string;
  action: string;
  note: string;
  details: Generated<string>;
}

/** The periodic access review (docs/design/access-review.md, migration 0020). */
export interface AccessReviewCampaignsTable {
  id: Generated<number>;
  trigger: 'due' | 'manual';
  opened_at_ms: number;
  opened_by: string;
  months: number;
  period_from_ms: number;
  period_to_ms: number;
  status: 'open' | 'closed';
  closed_at_ms: number | null;
  closed_by: string | null;
}

/** Written once at opening (triggers refuse UPDATE and DELETE). */
export interface AccessReviewLinesTable {
  id: Generated<number>;
  campaign_id: number;
  user_id: number;
  username: string;
  display_name: string;
  role: string;
  kind: 'role' | 'group';
  group_id: number | null;
  group_name: string | null;
  account_created_at_ms: number;
  last_sign_in_ms: number | null;
  last_live_ms: number | null;
  last_playback_ms: number | null;
  last_export_ms: number | null;
  unused: number;
}

/** One per line, written once (UNIQUE line_id; triggers refuse UPDATE and DELETE). */
export interface AccessReviewDecisionsTable {
  id: Generated<number>;
  line_id: number;
  campaign_id: number;
  decision: 'confirmed' | 'revoked';
  effect: string;
  actor: string;
  at_ms: number;
  reason: string;
}

/** Overdue situations whose alarm was raised (key: `open:<campaign id>` or `due:<due ms>`). */
export interface AccessReviewAlarmsTable {
  key: string;
  alarm_id: number;
  raised_at_ms: number;
}

/** The register of data-subject requests (docs/design/subject-requests.md): current state; history in subject_request_events. */
export interface SubjectRequestsTable {
  id: Generated<number>;
  kind: 'confirm' | 'information' | 'copy' | 'viewing' | 'erasure' | 'restriction' | 'objection' | 'secure';
  status: 'open' | 'decided' | 'answered';
  /** The site's country at receipt: its calendar sets the deadlines. */
  country: string;
  received_at_ms: number;
  channel: 'letter' | 'email' | 'in_person' | 'phone' | 'e_delivery';
  requester_name: string;
  requester_contact: string;
  footage: string;
  recorded_by: string;
  recorded_at_ms: number;
  identity_method: 'id_document' | 'known_in_person' | 'qualified_signature' | 'e_delivery_account' | 'other' | null;
  identity_checked_by: string | null;
  identity_note: string | null;
  identity_recorded_by: string | null;
  identity_at_ms: number | null;
  deadline_ms: number;
  extended_until_ms: number | null;
  extension_months: number | null;
  extension_reason: string | null;
  extension_told_at_ms: number | null;
  extended_by: string | null;
  extended_at_ms: number | null;
  decision: 'granted' | 'partly' | 'refused' | null;
  decision_reason: string | null;
  remedies_told: number | null;
  fee_amount_minor: number | null;
  fee_currency: string | null;
  fee_reason: string | null;
  decided_by: string | null;
  decided_at_ms: number | null;
  answered_at_ms: number | null;
  answer_channel: string | null;
  appointment_at_ms: number | null;
  answer_note: string | null;
  answered_by: string | null;
}

/** Holds and export requests a request caused. Never changed or deleted (triggers). */
export interface SubjectRequestLinksTable {
  request_id: number;
  kind: 'hold' | 'export';
  target_id: number;
  linked_by: string;
  linked_at_ms: number;
}

/** On-site viewings (JON 20). Never changed or deleted (triggers). */
export interface SubjectRequestViewingsTable {
  id: Generated<number>;
  request_id: number;
  from_ms: number;
  to_ms: number;
  shown_by: string;
  shown_at_ms: number;
  note: string;
  recorded_by: string;
  recorded_at_ms: number;
}

export interface SubjectRequestViewingCamerasTable {
  viewing_id: number;
  camera_id: number;
}

/** Append-only (triggers). */
export interface SubjectRequestEventsTable {
  id: Generated<number>;
  request_id: number;
  at_ms: number;
  actor: string;
  action: string;
  note: string;
  details: Generated<string>;
}

export interface Database {
  seats: SeatsTable;
  exports: ExportsTable;
  export_items: ExportItemsTable;
  export_events: ExportEventsTable;
  export_productions: ExportProductionsTable;
  incident_categories: IncidentCategoriesTable;
  incidents: IncidentsTable;
  incident_cameras: IncidentCamerasTable;
  incident_notes: IncidentNotesTable;
  incident_events: IncidentEventsTable;
  incident_holds: IncidentHoldsTable;
  playback_sessions: PlaybackSessionsTable;
  recordings: RecordingsTable;
  recording_gops: RecordingGopsTable;
  recording_gaps: RecordingGapsTable;
  deletion_log: DeletionLogTable;
  holds: HoldsTable;
  hold_items: HoldItemsTable;
  hold_events: HoldEventsTable;
  alarms: AlarmsTable;
  cameras: CamerasTable;
  ptz_presets: PtzPresetsTable;
  ptz_settings: PtzSettingsTable;
  walls: WallsTable;
  room_walls: RoomWallsTable;
  privacy_mask_versions: PrivacyMaskVersionsTable;
  users: UsersTable;
  access_grants: AccessGrantsTable;
  password_history: PasswordHistoryTable;
  camera_groups: CameraGroupsTable;
  user_groups: UserGroupsTable;
  sign_in_throttle: SignInThrottleTable;
  settings: SettingsTable;
  audit_log: AuditLogTable;
  breaches: BreachesTable;
  breach_cameras: BreachCamerasTable;
  breach_events: BreachEventsTable;
  breach_watch_runs: BreachWatchRunsTable;
  access_review_campaigns: AccessReviewCampaignsTable;
  access_review_lines: AccessReviewLinesTable;
  access_review_decisions: AccessReviewDecisionsTable;
  access_review_alarms: AccessReviewAlarmsTable;
  subject_requests: SubjectRequestsTable;
  subject_request_links: SubjectRequestLinksTable;
  subject_request_viewings: SubjectRequestViewingsTable;
  subject_request_viewing_cameras: SubjectRequestViewingCamerasTable;
  subject_request_events: SubjectRequestEventsTable;
  nodes: NodesTable;
  camera_leases: CameraLeasesTable;
  site_sessions: SiteSessionsTable;
  media_grants: MediaGrantsTable;
  stream_states: StreamStatesTable;
  site_secrets: SiteSecretsTable;
  site_jobs: SiteJobsTable;
  ptz_holders: PtzHoldersTable;
}

/** Who steers a PTZ camera on a site of nodes (migration 0027): `seen_at_ms` is renewed every second
 *  by the holder's node on the database's clock; a row not renewed for PTZ_HOLDER_STALE_MS is free. */
export interface PtzHoldersTable {
  camera_id: number;
  node: string;
  session_id: string;
  user_id: number;
  username: string;
  display_name: string;
  role: string;
  since_ms: number;
  last_command_at_ms: number;
  seen_at_ms: number;
}

/** Which node runs the site's scheduled jobs, until when (the database's clock; migration 0026). */
export interface SiteJobsTable {
  name: string;
  node: string;
  expires_at_ms: number;
}

/** Camera passwords of a site of nodes, sealed under the site's secrets key (migration 0025). */
export interface SiteSecretsTable {
  account: string;
  sealed: Buffer;
  updated_at_ms: number;
}

/** The engines of a site sharing one database (migration 0023; docs/design/scale.md "Nodes"). */
export interface NodesTable {
  name: string;
  /** Where seats and other nodes reach it (https://host:port). */
  url: string;
  started_at_ms: number;
  /** Its last lease renewal (the database's clock). */
  seen_at_ms: number;
  /** The site CA it presents (SHA-256 of the CA's public key, hex; migration 0024); null without TLS. */
  ca_fingerprint: string | null;
  /** Retired for good (migration 0028): when (the database's clock), by whom, why; null while a node. */
  retired_at_ms: number | null;
  retired_by: string | null;
  retire_reason: string | null;
}

/** Sessions of the site's seats, each written by the node it was signed in at (migration 0024;
 *  docs/design/scale.md "Seats on any node"): other nodes check a media grant's session here. */
export interface SiteSessionsTable {
  id: string;
  node: string;
  user_id: number;
  username: string;
  role: string;
  parked: number;
  locked: number;
  started_at_ms: number;
  ended_at_ms: number | null;
}

/** A live view or a playback one node granted on another (the node ingesting the camera, or holding
 *  the files): claimed once by that node, ended by either (migration 0024). Only the token's SHA-256 is stored. */
export interface MediaGrantsTable {
  token_hash: string;
  view_id: string;
  /** The node that serves it. */
  node: string;
  issued_by: string;
  connection_id: string;
  session_id: string;
  user_id: number;
  username: string;
  /** 'still': a live view for one still of the masks editor (its permission is cameras.manage). */
  kind: 'live' | 'playback' | 'still';
  /** live, still: the camera; playback: 0 (camera_ids names them). */
  camera_id: number;
  /** live: 'main' | 'sub'; playback: 'recorded'. */
  stream: string;
  /** playback: the cameras (comma-separated ids), the range and the grant's end. */
  camera_ids: string | null;
  from_ms: number | null;
  to_ms: number | null;
  expires_at_ms: number | null;
  created_at_ms: number;
  claimed_at_ms: number | null;
  ended_at_ms: number | null;
  end_reason: string | null;
}

/** Each node's live stream states, for the seats of the other nodes (migration 0024). */
export interface StreamStatesTable {
  camera_id: number;
  stream: string;
  node: string;
  state: string;
  detail: string | null;
  transcoding: number;
  since_ms: number;
}

/** Which node ingests and records a camera, until when (the database's clock; docs/design/scale.md "Leases"). */
export interface CameraLeasesTable {
  camera_id: number;
  node: string;
  expires_at_ms: number;
  since_ms: number;
}

/** When each scheduled breach check last ran (migration 0021; electron/core/breaches/breach-watch.ts). */
export interface BreachWatchRunsTable {
  name: string;
  at_ms: number;
}

/** Who saved a PTZ preset through the console, and when (docs/design/ptz.md; migration 0022). */
export interface PtzPresetsTable {
  camera_id: number;
  token: string;
  name: string;
  saved_by: string;
  saved_at_ms: number;
}

/** Where a PTZ camera returns after a while without control (migration 0022). */
export interface PtzSettingsTable {
  camera_id: number;
  park_preset_token: string | null;
  park_after_ms: number;
  updated_by: string;
  updated_at_ms: number;
}
