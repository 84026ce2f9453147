// Numbered schema migrations (docs/design/overview.md §4). Written once with Kysely's schema builder
// and run on SQLite and on PostgreSQL (docs/design/scale.md); what must differ is in ./dialect.ts.
import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import { appendOnly, blobType, createPostgresFunctions, idColumn, isPostgres, refuseChange } from './dialect';

export const MIGRATIONS: Record<string, Migration> = {
  '0001_foundation': {
    async up(db: Kysely<unknown>) {
      await createPostgresFunctions(db);
      await db.schema
        .createTable('users')
        .$call(idColumn(db))
        .addColumn('username', 'text', (c) => c.notNull().unique())
        .addColumn('display_name', 'text', (c) => c.notNull())
        .addColumn('role', 'text', (c) => c.notNull())
        .addColumn('language', 'text', (c) => c.notNull())
        .addColumn('password_hash', 'text', (c) => c.notNull())
        .addColumn('must_change_password', 'integer', (c) => c.notNull())
        .addColumn('active', 'integer', (c) => c.notNull())
        .addColumn('commitment_accepted_at_ms', 'bigint')
        .addColumn('commitment_version', 'text')
        .addColumn('created_at_ms', 'bigint', (c) => c.notNull())
        .addColumn('deactivated_at_ms', 'bigint')
        .execute();

      await db.schema
        .createTable('camera_groups')
        .$call(idColumn(db))
        .addColumn('name', 'text', (c) => c.notNull().unique())
        .addColumn('description', 'text', (c) => c.notNull())
        .addColumn('created_at_ms', 'bigint', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('user_groups')
        .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id'))
        .addColumn('group_id', 'integer', (c) => c.notNull().references('camera_groups.id').onDelete('cascade'))
        .addPrimaryKeyConstraint('user_groups_pk', ['user_id', 'group_id'])
        .execute();

      await db.schema
        .createTable('sign_in_throttle')
        .addColumn('username', 'text', (c) => c.primaryKey())
        .addColumn('failures', 'integer', (c) => c.notNull())
        .addColumn('locked_until_ms', 'bigint', (c) => c.notNull())
        .addColumn('last_failure_at_ms', 'bigint', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('settings')
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('value_json', 'text', (c) => c.notNull())
        .execute();

      // The audit log: append-only, hash-chained (R4). seq is assigned by the writer, not
      // by the database, because it is part of the hashed content.
      await db.schema
        .createTable('audit_log')
        .addColumn('seq', 'bigint', (c) => c.primaryKey())
        .addColumn('at_ms', 'bigint', (c) => c.notNull())
        .addColumn('actor', 'text', (c) => c.notNull())
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('target', 'text', (c) => c.notNull())
        .addColumn('outcome', 'text', (c) => c.notNull())
        .addColumn('details', 'text', (c) => c.notNull())
        .addColumn('reason', 'text')
        .addColumn('prev_hash', 'text', (c) => c.notNull())
        .addColumn('hash', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('audit_log_at').on('audit_log').column('at_ms').execute();
      await db.schema.createIndex('audit_log_actor').on('audit_log').columns(['actor', 'seq']).execute();
      await db.schema.createIndex('audit_log_action').on('audit_log').columns(['action', 'seq']).execute();

      // The database itself refuses UPDATE and DELETE on the audit log (on PostgreSQL the engine's
      // role also has no UPDATE or DELETE on it: store/postgres.ts).
      await appendOnly(db, 'audit_log');
    },
  },
};

MIGRATIONS['0002_cameras'] = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('cameras')
      .$call(idColumn(db))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('site', 'text', (c) => c.notNull())
      // Visibility is per group; a group with cameras cannot be deleted.
      .addColumn('group_id', 'integer', (c) => c.notNull().references('camera_groups.id').onDelete('restrict'))
      .addColumn('purpose', 'text', (c) => c.notNull())
      .addColumn('area_type', 'text', (c) => c.notNull())
      .addColumn('retention_days', 'integer', (c) => c.notNull())
      .addColumn('retention_reason', 'text')
      .addColumn('location', 'text', (c) => c.notNull())
      .addColumn('location_confidential', 'integer', (c) => c.notNull())
      .addColumn('audio_enabled', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('source_kind', 'text', (c) => c.notNull())
      .addColumn('onvif_xaddr', 'text')
      .addColumn('main_profile', 'text')
      .addColumn('sub_profile', 'text')
      // Stored without credentials (docs/design/overview.md §4); the password is in the OS keychain.
      .addColumn('main_url', 'text', (c) => c.notNull())
      .addColumn('sub_url', 'text')
      .addColumn('username', 'text')
      .addColumn('has_password', 'integer', (c) => c.notNull())
      .addColumn('enabled', 'integer', (c) => c.notNull())
      .addColumn('created_at_ms', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('cameras_group').on('cameras').column('group_id').execute();

    await db.schema
      .createTable('walls')
      .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id'))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('layout', 'integer', (c) => c.notNull())
      .addColumn('tiles_json', 'text', (c) => c.notNull())
      .addColumn('updated_at_ms', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('walls_pk', ['user_id', 'name'])
      .execute();
  },
};

MIGRATIONS['0003_recording'] = {
  async up(db: Kysely<unknown>) {
    // docs/design/recording.md: a row is committed only after the bytes it names are flushed.
    await db.schema
      .createTable('recordings')
      .$call(idColumn(db))
      .addColumn('camera_id', 'integer', (c) => c.notNull().references('cameras.id'))
      .addColumn('path', 'text', (c) => c.notNull().unique())
      .addColumn('start_ms', 'bigint', (c) => c.notNull())
      .addColumn('end_ms', 'bigint', (c) => c.notNull())
      .addColumn('bytes', 'bigint', (c) => c.notNull())
      // open | complete | missing | deleting
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('sha256', 'text')
      .addColumn('init_bytes', 'integer', (c) => c.notNull())
      .addColumn('created_at_ms', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('recordings_camera_start').on('recordings').columns(['camera_id', 'start_ms']).execute();
    await db.schema.createIndex('recordings_camera_end').on('recordings').columns(['camera_id', 'end_ms']).execute();
    await db.schema.createIndex('recordings_state').on('recordings').columns(['state', 'start_ms']).execute();
    // Keyframe-group index of each file, packed (16 bytes a group), kept apart so the main table stays small.
    await db.schema
      .createTable('recording_gops')
      .addColumn('recording_id', 'integer', (c) => c.primaryKey().references('recordings.id').onDelete('cascade'))
      .addColumn('gops', blobType(db), (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('recording_gaps')
      .$call(idColumn(db))
      .addColumn('camera_id', 'integer', (c) => c.notNull().references('cameras.id'))
      .addColumn('start_ms', 'bigint', (c) => c.notNull())
      .addColumn('end_ms', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('recording_gaps_camera').on('recording_gaps').columns(['camera_id', 'start_ms']).execute();
    // Proof of erasure for the controller (R1): one row per deleted file, never updated.
    await db.schema
      .createTable('deletion_log')
      .$call(idColumn(db))
      .addColumn('camera_id', 'integer', (c) => c.notNull())
      .addColumn('start_ms', 'bigint', (c) => c.notNull())
      .addColumn('end_ms', 'bigint', (c) => c.notNull())
      .addColumn('bytes', 'bigint', (c) => c.notNull())
      .addColumn('sha256', 'text', (c) => c.notNull())
      .addColumn('cause', 'text', (c) => c.notNull())
      .addColumn('actor', 'text', (c) => c.notNull())
      .addColumn('deleted_at_ms', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('deletion_log_camera').on('deletion_log').columns(['camera_id', 'start_ms']).execute();
    await appendOnly(db, 'deletion_log');

    await db.schema
      .createTable('holds')
      .$call(idColumn(db))
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('case_reference', 'text', (c) => c.notNull())
      .addColumn('legal_basis', 'text', (c) => c.notNull())
      .addColumn('requesting_body', 'text', (c) => c.notNull())
      .addColumn('reason', 'text', (c) => c.notNull())
      .addColumn('review_date_ms', 'bigint', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('created_by', 'text', (c) => c.notNull())
      .addColumn('created_at_ms', 'bigint', (c) => c.notNull())
      .addColumn('released_by', 'text')
      .addColumn('released_at_ms', 'bigint')
      .addColumn('release_reason', 'text')
      .execute();
    await db.schema
      .createTable('hold_items')
      .$call(idColumn(db))
      .addColumn('hold_id', 'integer', (c) => c.notNull().references('holds.id'))
      .addColumn('camera_id', 'integer', (c) => c.notNull().references('cameras.id'))
      .addColumn('from_ms', 'bigint', (c) => c.notNull())
      .addColumn('to_ms', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('hold_items_camera').on('hold_items').columns(['camera_id', 'from_ms']).execute();
    await db.schema
      .createTable('hold_events')
      .$call(idColumn(db))
      .addColumn('hold_id', 'integer', (c) => c.notNull().references('holds.id'))
      .addColumn('at_ms', 'bigint', (c) => c.notNull())
      .addColumn('actor', 'text', (c) => c.notNull())
      .addColumn('action', 'text', (c) => c.notNull())
      .addColumn('note', 'text', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('alarms')
      .$call(idColumn(db))
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('severity', 'text', (c) => c.notNull())
      .addColumn('message', 'text', (c) => c.notNull())
      .addColumn('camera_id', 'integer')
      .addColumn('raised_at_ms', 'bigint', (c) => c.notNull())
      .addColumn('cleared_at_ms', 'bigint')
      .execute();
  },
};

/** Offered on a fresh install; administrators rename, retire and add their own (docs/design/playback.md "Incidents"). */
export const DEFAULT_INCIDENT_CATEGORIES: readonly { key: string; label: string }[] = [
  { key: 'theft', label: 'Theft' },
  { key: 'vandalism', label: 'Vandalism' },
  { key: 'violence', label: 'Violence' },
  { key: 'medical', label: 'Medical emergency' },
  { key: 'suspicious_behaviour', label: 'Suspicious behaviour' },
  { key: 'traffic', label: 'Traffic' },
  { key: 'lost_person', label: 'Lost person' },
  { key: 'fire_smoke', label: 'Fire or smoke' },
  { key: 'technical_fault', label: 'Technical fault' },
  { key: 'other', label: 'Other' },
];

MIGRATIONS['0004_incidents'] = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('incident_categories')
      .addColumn('key', 'text', (c) => c.primaryKey())
      .addColumn('label', 'text', (c) => c.notNull())
      .addColumn('active', 'integer', (c) => c.notNull())
      .addColumn('sort_order', 'integer', (c) => c.notNull())
      .execute();
    const seed = DEFAULT_INCIDENT_CATEGORIES.map((c, i) => sql`(${c.key}, ${c.label}, 1, ${i})`);
    await sql`INSERT INTO incident_categories (key, label, active, sort_order) VALUES ${sql.join(seed)}`.execute(db);

    await db.schema
      .createTable('incidents')
      .$call(idColumn(db))
      // A used key stays (it may be retired): the database refuses to delete it too.
      .addColumn('category', 'text', (c) => c.notNull().references('incident_categories.key'))
      // open | closed
      .addColumn('status', 'text', (c) => c.notNull())
      // live (a moment marked on the wall) | playback (a range)
      .addColumn('source', 'text', (c) => c.notNull())
      // For a live mark: when the key was pressed, not when the form was saved.
      .addColumn('start_ms', 'bigint', (c) => c.notNull())
      .addColumn('end_ms', 'bigint')
      .addColumn('title', 'text', (c) => c.notNull())
      .addColumn('created_by', 'text', (c) => c.notNull())
      .addColumn('created_at_ms', 'bigint', (c) => c.notNull())
      .addColumn('closed_by', 'text')
      .addColumn('closed_at_ms', 'bigint')
      .execute();
    await db.schema.createIndex('incidents_start').on('incidents').column('start_ms').execute();
    await db.schema.createIndex('incidents_created_by').on('incidents').columns(['created_by', 'id']).execute();
    await db.schema
      .createTable('incident_cameras')
      .addColumn('incident_id', 'integer', (c) => c.notNull().references('incidents.id'))
      .addColumn('camera_id', 'integer', (c) => c.notNull().references('cameras.id'))
      .addPrimaryKeyConstraint('incident_cameras_pk', ['incident_id', 'camera_id'])
      .execute();
    await db.schema.createIndex('incident_cameras_camera').on('incident_cameras').columns(['camera_id', 'incident_id']).execute();
    // Notes and history are append-only: a note is never edited or removed, only followed by another.
    await db.schema
      .createTable('incident_notes')
      .$call(idColumn(db))
      .addColumn('incident_id', 'integer', (c) => c.notNull().references('incidents.id'))
      .addColumn('at_ms', 'bigint', (c) => c.notNull())
      .addColumn('actor', 'text', (c) => c.notNull())
      .addColumn('text', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('incident_notes_incident').on('incident_notes').columns(['incident_id', 'id']).execute();
    await db.schema
      .createTable('incident_events')
      .$call(idColumn(db))
      .addColumn('incident_id', 'integer', (c) => c.notNull().references('incidents.id'))
      .addColumn('at_ms', 'bigint', (c) => c.notNull())
      .addColumn('actor', 'text', (c) => c.notNull())
      .addColumn('action', 'text', (c) => c.notNull())
      .addColumn('note', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('incident_events_incident').on('incident_events').columns(['incident_id', 'id']).execute();
    await appendOnly(db, 'incident_notes');
    await appendOnly(db, 'incident_events');
    await db.schema
      .createTable('incident_holds')
      .addColumn('incident_id', 'integer', (c) => c.notNull().references('incidents.id'))
      .addColumn('hold_id', 'integer', (c) => c.notNull().references('holds.id'))
      .addColumn('linked_by', 'text', (c) => c.notNull())
      .addColumn('at_ms', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('incident_holds_pk', ['incident_id', 'hold_id'])
      .execute();

    // One row per playback.open (id = the playback grant's id), with the reason as given, and the
    // incident or legal hold its reference names, if any: the "viewing without a link" report.
    await db.schema
      .createTable('playback_sessions')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id'))
      .addColumn('username', 'text', (c) => c.notNull())
      .addColumn('at_ms', 'bigint', (c) => c.notNull())
      // Comma-separated camera ids, as opened.
      .addColumn('camera_ids', 'text', (c) => c.notNull())
      .addColumn('from_ms', 'bigint', (c) => c.notNull())
      .addColumn('to_ms', 'bigint', (c) => c.notNull())
      .addColumn('category', 'text', (c) => c.notNull())
      .addColumn('reason_text', 'text', (c) => c.notNull())
      .addColumn('reference', 'text')
      .addColumn('incident_id', 'integer', (c) => c.references('incidents.id'))
      .addColumn('hold_id', 'integer', (c) => c.references('holds.id'))
      .execute();
    await db.schema.createIndex('playback_sessions_at').on('playback_sessions').columns(['at_ms', 'user_id']).execute();
  },
};

// Export requests (docs/design/exports.md; R6, §7; JON 17-20, BRN 16.4): the request as registered, its
// deadline, the four-eyes decision, production of the evidence package, and the handover. The
// history is append-only (the database refuses UPDATE and DELETE). The site's country (whose
// working days and public holidays set the deadlines) is kept in `settings` under the key 'site'.
MIGRATIONS['0005_exports'] = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('exports')
      .$call(idColumn(db))
      // pending | approved | rejected | producing | produced | failed | handed_over
      .addColumn('status', 'text', (c) => c.notNull())
      // police | prosecutor | court | other_authority | data_subject | internal
      .addColumn('body_type', 'text', (c) => c.notNull())
      .addColumn('body_name', 'text', (c) => c.notNull())
      .addColumn('body_reference', 'text', (c) => c.notNull())
      .addColumn('received_at_ms', 'bigint', (c) => c.notNull())
      .addColumn('purpose', 'text', (c) => c.notNull())
      .addColumn('legal_basis', 'text', (c) => c.notNull())
      .addColumn('urgent', 'integer', (c) => c.notNull())
      .addColumn('recipient', 'text', (c) => c.notNull())
      .addColumn('incident_id', 'integer', (c) => c.references('incidents.id'))
      .addColumn('requested_by', 'text', (c) => c.notNull())
      .addColumn('requested_at_ms', 'bigint', (c) => c.notNull())
      // The country whose calendar computed the deadline, kept with it (the site may change later).
      .addColumn('country', 'text', (c) => c.notNull())
      .addColumn('deadline_ms', 'bigint', (c) => c.notNull())
      // Data subject requests only (BRN 16.4): once, by one or two months, with a reason.
      .addColumn('extended_until_ms', 'bigint')
      .addColumn('extension_reason', 'text')
      .addColumn('extended_by', 'text')
      .addColumn('decided_by', 'text')
      .addColumn('decided_at_ms', 'bigint')
      .addColumn('decision_approved', 'integer')
      .addColumn('decision_reason', 'text')
      // copy | burn_in; the latest production attempt (earlier attempts are in the history).
      .addColumn('production_mode', 'text')
      .addColumn('produced_by', 'text')
      .addColumn('production_started_at_ms', 'bigint')
      .addColumn('production_progress', 'real')
      .addColumn('production_eta_ms', 'bigint')
      .addColumn('production_finished_at_ms', 'bigint')
      .addColumn('production_error', 'text')
      .addColumn('production_redactions', 'integer')
      .addColumn('package_path', 'text')
      .addColumn('manifest_sha256', 'text')
      .addColumn('received_by', 'text')
      .addColumn('handover_at_ms', 'bigint')
      .addColumn('handover_medium', 'text')
      .addColumn('handover_note', 'text')
      .addColumn('handover_recorded_by', 'text')
      // The legal hold that keeps the exported footage until the handover.
      .addColumn('hold_id', 'integer', (c) => c.references('holds.id'))
      .execute();
    await db.schema.createIndex('exports_status_deadline').on('exports').columns(['status', 'deadline_ms']).execute();
    await db.schema.createIndex('exports_requested_by').on('exports').columns(['requested_by', 'id']).execute();
    await db.schema
      .createTable('export_items')
      .$call(idColumn(db))
      .addColumn('export_id', 'integer', (c) => c.notNull().references('exports.id'))
      .addColumn('camera_id', 'integer', (c) => c.notNull().references('cameras.id'))
      .addColumn('from_ms', 'bigint', (c) => c.notNull())
      .addColumn('to_ms', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('export_items_export').on('export_items').columns(['export_id', 'id']).execute();
    await db.schema.createIndex('export_items_camera').on('export_items').columns(['camera_id', 'export_id']).execute();
    await db.schema
      .createTable('export_events')
      .$call(idColumn(db))
      .addColumn('export_id', 'integer', (c) => c.notNull().references('exports.id'))
      .addColumn('at_ms', 'bigint', (c) => c.notNull())
      .addColumn('actor', 'text', (c) => c.notNull())
      .addColumn('action', 'text', (c) => c.notNull())
      .addColumn('note', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('export_events_export').on('export_events').columns(['export_id', 'id']).execute();
    await appendOnly(db, 'export_events');
    // Items are the scope as requested and approved: they never change once written.
    await appendOnly(db, 'export_items');
  },
};

// The package copy kept by the engine after handover is deleted when its keep period ends
// (docs/design/exports.md "Handover": exported footage follows the request's own retention once handed over).
MIGRATIONS['0006_export_package_retention'] = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('exports').addColumn('package_deleted_at_ms', 'bigint').execute();
  },
};

// Alarms that a person must acknowledge (an account given access to footage, an audit anchor
// behind the log): their values for the screens to word, and who acknowledged them.
MIGRATIONS['0007_alarm_acknowledgement'] = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('alarms').addColumn('params_json', 'text', (c) => c.notNull().defaultTo('{}')).execute();
    await db.schema.alterTable('alarms').addColumn('acknowledged_by', 'text').execute();
  },
};

// Production attempts as rows of their own (docs/design/exports.md "Production"): before, the
// latest attempt lived in nullable columns of `exports`, and a retry after a failure overwrote the
// earlier attempt's mode, times, error and package path. Each attempt is now one row, numbered per
// request; history entries about production name their attempt. An existing request's current
// attempt becomes a row numbered after the 'production started' entries of its history (earlier
// attempts survive only as those entries), then the columns leave `exports`.
MIGRATIONS['0008_export_productions'] = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('export_productions')
      .$call(idColumn(db))
      .addColumn('export_id', 'integer', (c) => c.notNull().references('exports.id'))
      // 1, 2, ... per request
      .addColumn('attempt', 'integer', (c) => c.notNull())
      // producing | produced | failed | cancelled
      .addColumn('status', 'text', (c) => c.notNull())
      // copy | burn_in
      .addColumn('mode', 'text', (c) => c.notNull())
      .addColumn('started_by', 'text', (c) => c.notNull())
      .addColumn('started_at_ms', 'bigint', (c) => c.notNull())
      .addColumn('finished_at_ms', 'bigint')
      // 0..1, saved at most once a second while producing
      .addColumn('progress', 'real', (c) => c.notNull())
      .addColumn('eta_ms', 'bigint')
      .addColumn('error', 'text')
      .addColumn('redactions', 'integer', (c) => c.notNull())
      .addColumn('package_path', 'text')
      .addColumn('manifest_sha256', 'text')
      .addColumn('addendum_sha256', 'text')
      .addColumn('signing_key_fingerprint', 'text')
      // The engine's copy of the package was deleted (keep period after handover over).
      .addColumn('package_deleted_at_ms', 'bigint')
      .addUniqueConstraint('export_productions_attempt', ['export_id', 'attempt'])
      .execute();
    await db.schema.alterTable('export_events').addColumn('attempt', 'integer').execute();
    // Rows of before carried over (SQLite only: a PostgreSQL store is always made from the first
    // migration on, so its tables are empty here).
    if (!isPostgres(db)) await sql`INSERT INTO export_productions (export_id, attempt, status, mode, started_by, started_at_ms, finished_at_ms, progress, eta_ms, error,
        redactions, package_path, manifest_sha256, package_deleted_at_ms)
      SELECT e.id,
        MAX(1, (SELECT COUNT(*) FROM export_events ev WHERE ev.export_id = e.id AND ev.action = 'production started')),
        CASE e.status WHEN 'producing' THEN 'producing'
          WHEN 'failed' THEN (CASE WHEN e.production_error LIKE 'Cancelled%' THEN 'cancelled' ELSE 'failed' END)
          ELSE 'produced' END,
        e.production_mode, COALESCE(e.produced_by, ''), COALESCE(e.production_started_at_ms, 0), e.production_finished_at_ms,
        COALESCE(e.production_progress, 0), e.production_eta_ms, e.production_error, COALESCE(e.production_redactions, 0),
        e.package_path, e.manifest_sha256, e.package_deleted_at_ms
      FROM exports e WHERE e.production_mode IS NOT NULL`.execute(db);
    for (const column of [
      'production_mode',
      'produced_by',
      'production_started_at_ms',
      'production_progress',
      'production_eta_ms',
      'production_finished_at_ms',
      'production_error',
      'production_redactions',
      'package_path',
      'manifest_sha256',
      'package_deleted_at_ms',
    ]) {
      await db.schema.alterTable('exports').dropColumn(column).execute();
    }
    // An attempt is a record: never deleted; who started it, how and when never change; once it has
    // finished, only the deletion of the engine's copy of its package is still written (once).
    await refuseChange(db, { name: 'export_productions_no_delete', table: 'export_productions', event: 'DELETE', message: 'export_productions is append-only' });
    await refuseChange(db, { name: 'export_productions_fixed', table: 'export_productions', event: 'UPDATE OF export_id, attempt, mode, started_by, started_at_ms, redactions', message: 'an export production attempt keeps who started it, how and when' });
    await refuseChange(db, { name: 'export_productions_finished', table: 'export_productions', event: 'UPDATE', when: `OLD.status <> 'producing' AND (NEW.status IS DISTINCT FROM OLD.status OR NEW.finished_at_ms IS DISTINCT FROM OLD.finished_at_ms OR NEW.progress IS DISTINCT FROM OLD.progress OR NEW.eta_ms IS DISTINCT FROM OLD.eta_ms OR NEW.error IS DISTINCT FROM OLD.error OR NEW.package_path IS DISTINCT FROM OLD.package_path OR NEW.manifest_sha256 IS DISTINCT FROM OLD.manifest_sha256 OR NEW.addendum_sha256 IS DISTINCT FROM OLD.addendum_sha256 OR NEW.signing_key_fingerprint IS DISTINCT FROM OLD.signing_key_fingerprint OR OLD.package_deleted_at_ms IS NOT NULL)`, message: 'a finished export production attempt is a record' });
  },
};

// Seats of a site engine (docs/design/site-engine.md "Enrolment"): one row per registered seat. The
// one-time enrolment code and the seat's credential are stored as SHA-256 hashes only (both are
// random: 80 and 256 bits). A seat is never deleted and a revocation is final, so the trail keeps
// naming it; an enrolled seat's credential never changes (a lost one means a new seat).
MIGRATIONS['0009_seats'] = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('seats')
      .$call(idColumn(db))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('room', 'text', (c) => c.notNull())
      .addColumn('created_by', 'text', (c) => c.notNull())
      .addColumn('created_at_ms', 'bigint', (c) => c.notNull())
      .addColumn('code_sha256', 'text', (c) => c.notNull().unique())
      .addColumn('code_expires_at_ms', 'bigint', (c) => c.notNull())
      .addColumn('enrolled_at_ms', 'bigint')
      .addColumn('credential_sha256', 'text')
      .addColumn('version', 'text')
      .addColumn('last_seen_at_ms', 'bigint')
      .addColumn('last_address', 'text')
      .addColumn('revoked_at_ms', 'bigint')
      .addColumn('revoked_by', 'text')
      .addColumn('revoke_reason', 'text')
      .execute();
    // One seat of a name among those not revoked (a partial index: SQLite and PostgreSQL both have them).
    await sql`CREATE UNIQUE INDEX seats_active_name ON seats (name) WHERE revoked_at_ms IS NULL`.execute(db);
    await refuseChange(db, { name: 'seats_no_delete', table: 'seats', event: 'DELETE', message: 'seats are never deleted; revoke them' });
    await refuseChange(db, { name: 'seats_fixed', table: 'seats', event: 'UPDATE OF name, room, created_by, created_at_ms, code_sha256, code_expires_at_ms', message: 'a seat keeps its name, room, creator and code' });
    await refuseChange(db, { name: 'seats_enrolled_once', table: 'seats', event: 'UPDATE', when: `OLD.enrolled_at_ms IS NOT NULL AND (NEW.enrolled_at_ms IS DISTINCT FROM OLD.enrolled_at_ms OR NEW.credential_sha256 IS DISTINCT FROM OLD.credential_sha256)`, message: 'a seat enrols once' });
    await refuseChange(db, { name: 'seats_revocation_final', table: 'seats', event: 'UPDATE', when: `OLD.revoked_at_ms IS NOT NULL AND (NEW.revoked_at_ms IS DISTINCT FROM OLD.revoked_at_ms OR NEW.revoked_by IS DISTINCT FROM OLD.revoked_by OR NEW.revoke_reason IS DISTINCT FROM OLD.revoke_reason)`, message: 'a revoked seat stays revoked' });
  },
};

// The engine's own part of a history line kept as values (JSON of shared/contract historyDetails) for
// the screens to word in the reader's language; `note` keeps only a person's words from now on. Lines
// written before keep their English text in `note` and '{}' here.
MIGRATIONS['0010_history_details'] = {
  async up(db: Kysely<unknown>) {
    for (const table of ['hold_events', 'incident_events', 'export_events']) {
      await db.schema.alterTable(table).addColumn('details', 'text', (c) => c.notNull().defaultTo('{}')).execute();
    }
  },
};

// A category's name in each interface language an administrator gave one for (JSON of
// shared/contract categoryNames); '{}': the label in every language.
MIGRATIONS['0011_category_names'] = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('incident_categories').addColumn('names_json', 'text', (c) => c.notNull().defaultTo('{}')).execute();
  },
};

// Walls a supervisor published for a room's seats (docs/design/operator-ui.md "Walls").
MIGRATIONS['0012_room_walls'] = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('room_walls')
      .addColumn('room', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('layout', 'integer', (c) => c.notNull())
      .addColumn('tiles_json', 'text', (c) => c.notNull())
      .addColumn('published_by', 'text', (c) => c.notNull())
      .addColumn('published_at_ms', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('room_walls_pk', ['room', 'name'])
      .execute();
  },
};

// Privacy masks (docs/design/privacy-masks.md; R7): one row per version of a camera's masks, the whole
// set as JSON (shared/contract privacyMask[]), with who, when and why. A version is never changed or
// deleted: footage is shown with every version in force while it was recorded.
MIGRATIONS['0013_privacy_masks'] = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('privacy_mask_versions')
      .addColumn('camera_id', 'integer', (c) => c.notNull().references('cameras.id'))
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('masks_json', 'text', (c) => c.notNull())
      .addColumn('reason', 'text', (c) => c.notNull())
      .addColumn('created_by', 'text', (c) => c.notNull())
      .addColumn('created_at_ms', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('privacy_mask_versions_pk', ['camera_id', 'version'])
      .execute();
    await appendOnly(db, 'privacy_mask_versions', 'a privacy mask version is a record; save a new version');
  },
};

// Masking at the source (docs/design/privacy-masks.md "Masking at the source"; R7): when 1, the
// engine re-encodes both streams of the camera with its permanent masks burned in before packaging
// and recording. Off (0) for every camera that existed before.
MIGRATIONS['0014_mask_at_source'] = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('cameras').addColumn('mask_at_source', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  },
};

// Password age and reuse (JON 15.6; docs/design/sign-in-and-sessions.md "Password age and reuse"):
// when each user's password was last set (null for accounts from before: their age is counted from
// their next sign-in), and the hashes (never the passwords) of the passwords each user had before,
// only as many as the site's securitySettings.passwordHistory asks for.
MIGRATIONS['0015_password_history'] = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('users').addColumn('password_changed_at_ms', 'bigint').execute();
    await db.schema
      .createTable('password_history')
      .$call(idColumn(db))
      .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id'))
      .addColumn('password_hash', 'text', (c) => c.notNull())
      .addColumn('retired_at_ms', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('password_history_user').on('password_history').columns(['user_id', 'id']).execute();
  },
};

// The breach register (docs/design/breaches.md; JON 21-23; BRN 24.3(vii), 36-38). A breach's
// current state is kept on its row; every step (report, assessment, notification, close) is a line
// of breach_events, which the database never lets change or disappear. proposal_key makes an engine
// proposal (an audit chain break found by verification) once per finding.
MIGRATIONS['0017_breaches'] = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('breaches')
      .$call(idColumn(db))
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('source', 'text', (c) => c.notNull())
      .addColumn('proposal', 'text')
      .addColumn('proposal_key', 'text', (c) => c.unique())
      .addColumn('what', 'text', (c) => c.notNull())
      .addColumn('records', 'text', (c) => c.notNull())
      .addColumn('discovered_at_ms', 'bigint', (c) => c.notNull())
      .addColumn('reported_at_ms', 'bigint', (c) => c.notNull())
      .addColumn('reported_by', 'text', (c) => c.notNull())
      .addColumn('category', 'integer')
      .addColumn('assessed_by', 'text')
      .addColumn('assessed_at_ms', 'bigint')
      .addColumn('reasoning', 'text')
      .addColumn('subjects_notice', 'text')
      .addColumn('subjects_not_notified_reason', 'text')
      .addColumn('authority_notified_at_ms', 'bigint')
      .addColumn('authority_channel', 'text')
      .addColumn('authority_reference', 'text')
      .addColumn('authority_recorded_by', 'text')
      .addColumn('subjects_notified_at_ms', 'bigint')
      .addColumn('subjects_channel', 'text')
      .addColumn('subjects_reference', 'text')
      .addColumn('subjects_recorded_by', 'text')
      .addColumn('closed_by', 'text')
      .addColumn('closed_at_ms', 'bigint')
      .execute();
    await db.schema
      .createTable('breach_cameras')
      .addColumn('breach_id', 'integer', (c) => c.notNull().references('breaches.id'))
      .addColumn('camera_id', 'integer', (c) => c.notNull().references('cameras.id'))
      .addPrimaryKeyConstraint('breach_cameras_pk', ['breach_id', 'camera_id'])
      .execute();
    await db.schema
      .createTable('breach_events')
      .$call(idColumn(db))
      .addColumn('breach_id', 'integer', (c) => c.notNull().references('breaches.id'))
      .addColumn('at_ms', 'bigint', (c) => c.notNull())
      .addColumn('actor', 'text', (c) => c.notNull())
      .addColumn('action', 'text', (c) => c.notNull())
      .addColumn('note', 'text', (c) => c.notNull())
      .addColumn('details', 'text', (c) => c.notNull().defaultTo('{}'))
      .execute();
    await db.schema.createIndex('breach_events_breach').on('breach_events').columns(['breach_id', 'id']).execute();
    // In the database: the history is append-only (BRN 24.3(vii): the register is a record).
    await appendOnly(db, 'breach_events');
    await refuseChange(db, { name: 'breaches_no_delete', table: 'breaches', event: 'DELETE', message: 'a breach record is never deleted' });
  },
};

// The periodic access review (docs/design/access-review.md; BRN art. 34(1)(ii), JON 15.3). A campaign
// is a row of access_review_campaigns; its lines (each account's role and each of its camera groups,
// with the last uses read from the audit log at opening) are written once and never change; each
// line's decision is one row of access_review_decisions, written once (UNIQUE line_id) and never
// changed; a campaign is never deleted and, once closed, never changed. access_review_alarms keeps
// which overdue situations have raised their alarm, so one is raised once.
MIGRATIONS['0020_access_review'] = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('access_review_campaigns')
      .$call(idColumn(db))
      .addColumn('trigger', 'text', (c) => c.notNull())
      .addColumn('opened_at_ms', 'bigint', (c) => c.notNull())
      .addColumn('opened_by', 'text', (c) => c.notNull())
      .addColumn('months', 'integer', (c) => c.notNull())
      .addColumn('period_from_ms', 'bigint', (c) => c.notNull())
      .addColumn('period_to_ms', 'bigint', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('closed_at_ms', 'bigint')
      .addColumn('closed_by', 'text')
      .execute();
    // At most one campaign is open at a time, whoever opens it (the engine when due, or a reviewer).
    await sql`CREATE UNIQUE INDEX access_review_one_open ON access_review_campaigns (status) WHERE status = 'open'`.execute(db);
    await db.schema
      .createTable('access_review_lines')
      .$call(idColumn(db))
      .addColumn('campaign_id', 'integer', (c) => c.notNull().references('access_review_campaigns.id'))
      .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id'))
      .addColumn('username', 'text', (c) => c.notNull())
      .addColumn('display_name', 'text', (c) => c.notNull())
      .addColumn('role', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('group_id', 'integer')
      .addColumn('group_name', 'text')
      .addColumn('account_created_at_ms', 'bigint', (c) => c.notNull())
      .addColumn('last_sign_in_ms', 'bigint')
      .addColumn('last_live_ms', 'bigint')
      .addColumn('last_playback_ms', 'bigint')
      .addColumn('last_export_ms', 'bigint')
      .addColumn('unused', 'integer', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('access_review_lines_campaign').on('access_review_lines').columns(['campaign_id', 'id']).execute();
    await db.schema
      .createTable('access_review_decisions')
      .$call(idColumn(db))
      .addColumn('line_id', 'integer', (c) => c.notNull().unique().references('access_review_lines.id'))
      .addColumn('campaign_id', 'integer', (c) => c.notNull().references('access_review_campaigns.id'))
      .addColumn('decision', 'text', (c) => c.notNull())
      .addColumn('effect', 'text', (c) => c.notNull())
      .addColumn('actor', 'text', (c) => c.notNull())
      .addColumn('at_ms', 'bigint', (c) => c.notNull())
      .addColumn('reason', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('access_review_decisions_campaign').on('access_review_decisions').columns(['campaign_id', 'id']).execute();
    await db.schema
      .createTable('access_review_alarms')
      .addColumn('key', 'text', (c) => c.primaryKey())
      .addColumn('alarm_id', 'integer', (c) => c.notNull())
      .addColumn('raised_at_ms', 'bigint', (c) => c.notNull())
      .execute();
    // In the database: the review is a record (BRN art. 34(1)(ii)): lines and decisions are written
    // once; a campaign is never deleted, and a closed one never changes.
    for (const table of ['access_review_lines', 'access_review_decisions']) {
      await appendOnly(db, table);
    }
    await refuseChange(db, { name: 'access_review_campaigns_no_delete', table: 'access_review_campaigns', event: 'DELETE', message: 'an access review is never deleted' });
    await refuseChange(db, { name: 'access_review_campaigns_closed', table: 'access_review_campaigns', event: 'UPDATE', when: `OLD.status = 'closed' OR NEW.trigger IS DISTINCT FROM OLD.trigger OR NEW.opened_at_ms IS DISTINCT FROM OLD.opened_at_ms OR NEW.opened_by IS DISTINCT FROM OLD.opened_by OR NEW.months IS DISTINCT FROM OLD.months OR NEW.period_from_ms IS DISTINCT FROM OLD.period_from_ms OR NEW.period_to_ms IS DISTINCT FROM OLD.period_to_ms`, message: 'an access review is a record: only its closing is written, once' });
    await refuseChange(db, { name: 'access_review_alarms_no_delete', table: 'access_review_alarms', event: 'DELETE', message: 'access_review_alarms is append-only' });
  },
};

// The register of authorised persons (docs/design/authorised-persons.md; KRK §5.4.1, §5.4.4-5.4.5).
// Every grant of rights is a row of access_grants: what it gives (role, groups), its basis, who
// asked and when, and then, once each, its decision and its end. The database refuses any other
// change and any deletion. users.access_state says whether the account's role and groups are in
// force ('granted') or parked ('pending', 'refused', 'expired': no rights at all). Accounts that
// existed before start the register with a grant 'recorded_before' in force since their creation.
MIGRATIONS['0018_access_grants'] = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('users').addColumn('access_state', 'text', (c) => c.notNull().defaultTo('granted')).execute();
    await db.schema
      .createTable('access_grants')
      .$call(idColumn(db))
      .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id'))
      .addColumn('username', 'text', (c) => c.notNull())
      .addColumn('role', 'text', (c) => c.notNull())
      .addColumn('group_ids_json', 'text', (c) => c.notNull())
      .addColumn('group_names_json', 'text', (c) => c.notNull())
      .addColumn('basis', 'text', (c) => c.notNull())
      .addColumn('valid_until_ms', 'bigint')
      .addColumn('change', 'text', (c) => c.notNull())
      .addColumn('requested_by', 'text', (c) => c.notNull())
      .addColumn('requested_at_ms', 'bigint', (c) => c.notNull())
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('auto', 'text')
      .addColumn('decided_by', 'text')
      .addColumn('decided_at_ms', 'bigint')
      .addColumn('decision_note', 'text')
      .addColumn('ended_at_ms', 'bigint')
      .addColumn('end_reason', 'text')
      .execute();
    await db.schema.createIndex('access_grants_user').on('access_grants').columns(['user_id', 'id']).execute();
    await db.schema.createIndex('access_grants_state').on('access_grants').columns(['state', 'id']).execute();
    // In the database: what a grant gives and why is written once; its decision once; its end once.
    await refuseChange(db, { name: 'access_grants_fixed', table: 'access_grants', event: 'UPDATE', when: `NEW.user_id IS DISTINCT FROM OLD.user_id OR NEW.username IS DISTINCT FROM OLD.username OR NEW.role IS DISTINCT FROM OLD.role OR NEW.group_ids_json IS DISTINCT FROM OLD.group_ids_json OR NEW.group_names_json IS DISTINCT FROM OLD.group_names_json OR NEW.basis IS DISTINCT FROM OLD.basis OR NEW.valid_until_ms IS DISTINCT FROM OLD.valid_until_ms OR NEW.change IS DISTINCT FROM OLD.change OR NEW.requested_by IS DISTINCT FROM OLD.requested_by OR NEW.requested_at_ms IS DISTINCT FROM OLD.requested_at_ms OR (OLD.decided_at_ms IS NOT NULL AND (NEW.decided_by IS DISTINCT FROM OLD.decided_by OR NEW.decided_at_ms IS DISTINCT FROM OLD.decided_at_ms OR NEW.decision_note IS DISTINCT FROM OLD.decision_note OR NEW.auto IS DISTINCT FROM OLD.auto)) OR (OLD.ended_at_ms IS NOT NULL AND (NEW.ended_at_ms IS DISTINCT FROM OLD.ended_at_ms OR NEW.end_reason IS DISTINCT FROM OLD.end_reason)) OR OLD.state IN ('refused', 'withdrawn', 'ended')`, message: 'a grant of access is a record: only its decision and its end are written, once each' });
    await refuseChange(db, { name: 'access_grants_no_delete', table: 'access_grants', event: 'DELETE', message: 'a grant of access is never deleted' });
    // The accounts of before: their rights as they stand, in force since the account was made (SQLite
    // only: a PostgreSQL store is made from the first migration on and has no accounts of before).
    if (!isPostgres(db)) await sql`INSERT INTO access_grants (user_id, username, role, group_ids_json, group_names_json, basis, valid_until_ms, change,
        requested_by, requested_at_ms, state, auto, decided_by, decided_at_ms, decision_note, ended_at_ms, end_reason)
      SELECT u.id, u.username, u.role,
        COALESCE((SELECT json_group_array(ug.group_id) FROM (SELECT group_id FROM user_groups WHERE user_id = u.id ORDER BY group_id) ug), '[]'),
        COALESCE((SELECT json_group_array(g.name) FROM (SELECT cg.name FROM user_groups x JOIN camera_groups cg ON cg.id = x.group_id WHERE x.user_id = u.id ORDER BY x.group_id) g), '[]'),
        'recorded before the register of authorised persons', NULL, 'recorded_before',
        'system', u.created_at_ms,
        CASE WHEN u.active = 1 THEN 'approved' ELSE 'ended' END, 'recorded_before', 'system', u.created_at_ms, NULL,
        CASE WHEN u.active = 1 THEN NULL ELSE COALESCE(u.deactivated_at_ms, u.created_at_ms) END,
        CASE WHEN u.active = 1 THEN NULL ELSE 'deactivated' END
      FROM users u ORDER BY u.id`.execute(db);
  },
};

// The register of data-subject requests (docs/design/subject-requests.md; BRN art. 15-17; JON 17-20;
// ELB 1.14). A request's current state is on its row; every step is a line of subject_request_events.
// Triggers in the database keep it a record: no request is deleted; what was received, and each step
// once written (identity check, extension, decision, answer), never changes; the status only moves
// forward; links, viewings and history lines are append-only.
MIGRATIONS['0019_subject_requests'] = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('subject_requests')
      .$call(idColumn(db))
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('country', 'text', (c) => c.notNull())
      .addColumn('received_at_ms', 'bigint', (c) => c.notNull())
      .addColumn('channel', 'text', (c) => c.notNull())
      .addColumn('requester_name', 'text', (c) => c.notNull())
      .addColumn('requester_contact', 'text', (c) => c.notNull())
      .addColumn('footage', 'text', (c) => c.notNull())
      .addColumn('recorded_by', 'text', (c) => c.notNull())
      .addColumn('recorded_at_ms', 'bigint', (c) => c.notNull())
      .addColumn('identity_method', 'text')
      .addColumn('identity_checked_by', 'text')
      .addColumn('identity_note', 'text')
      .addColumn('identity_recorded_by', 'text')
      .addColumn('identity_at_ms', 'bigint')
      .addColumn('deadline_ms', 'bigint', (c) => c.notNull())
      .addColumn('extended_until_ms', 'bigint')
      .addColumn('extension_months', 'integer')
      .addColumn('extension_reason', 'text')
      .addColumn('extension_told_at_ms', 'bigint')
      .addColumn('extended_by', 'text')
      .addColumn('extended_at_ms', 'bigint')
      .addColumn('decision', 'text')
      .addColumn('decision_reason', 'text')
      .addColumn('remedies_told', 'integer')
      .addColumn('fee_amount_minor', 'integer')
      .addColumn('fee_currency', 'text')
      .addColumn('fee_reason', 'text')
      .addColumn('decided_by', 'text')
      .addColumn('decided_at_ms', 'bigint')
      .addColumn('answered_at_ms', 'bigint')
      .addColumn('answer_channel', 'text')
      .addColumn('appointment_at_ms', 'bigint')
      .addColumn('answer_note', 'text')
      .addColumn('answered_by', 'text')
      .execute();
    await db.schema
      .createTable('subject_request_links')
      .addColumn('request_id', 'integer', (c) => c.notNull().references('subject_requests.id'))
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('target_id', 'integer', (c) => c.notNull())
      .addColumn('linked_by', 'text', (c) => c.notNull())
      .addColumn('linked_at_ms', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('subject_request_links_pk', ['request_id', 'kind', 'target_id'])
      .execute();
    await db.schema
      .createTable('subject_request_viewings')
      .$call(idColumn(db))
      .addColumn('request_id', 'integer', (c) => c.notNull().references('subject_requests.id'))
      .addColumn('from_ms', 'bigint', (c) => c.notNull())
      .addColumn('to_ms', 'bigint', (c) => c.notNull())
      .addColumn('shown_by', 'text', (c) => c.notNull())
      .addColumn('shown_at_ms', 'bigint', (c) => c.notNull())
      .addColumn('note', 'text', (c) => c.notNull())
      .addColumn('recorded_by', 'text', (c) => c.notNull())
      .addColumn('recorded_at_ms', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('subject_request_viewings_request').on('subject_request_viewings').columns(['request_id', 'id']).execute();
    await db.schema
      .createTable('subject_request_viewing_cameras')
      .addColumn('viewing_id', 'integer', (c) => c.notNull().references('subject_request_viewings.id'))
      .addColumn('camera_id', 'integer', (c) => c.notNull().references('cameras.id'))
      .addPrimaryKeyConstraint('subject_request_viewing_cameras_pk', ['viewing_id', 'camera_id'])
      .execute();
    await db.schema
      .createTable('subject_request_events')
      .$call(idColumn(db))
      .addColumn('request_id', 'integer', (c) => c.notNull().references('subject_requests.id'))
      .addColumn('at_ms', 'bigint', (c) => c.notNull())
      .addColumn('actor', 'text', (c) => c.notNull())
      .addColumn('action', 'text', (c) => c.notNull())
      .addColumn('note', 'text', (c) => c.notNull())
      .addColumn('details', 'text', (c) => c.notNull().defaultTo('{}'))
      .execute();
    await db.schema.createIndex('subject_request_events_request').on('subject_request_events').columns(['request_id', 'id']).execute();

    for (const table of ['subject_request_events', 'subject_request_links', 'subject_request_viewings', 'subject_request_viewing_cameras']) {
      await appendOnly(db, table);
    }
    await refuseChange(db, { name: 'subject_requests_no_delete', table: 'subject_requests', event: 'DELETE', message: 'a data-subject request is never deleted' });
    await refuseChange(db, { name: 'subject_requests_written_once', table: 'subject_requests', event: 'UPDATE', when: `NEW.kind IS DISTINCT FROM OLD.kind OR NEW.country IS DISTINCT FROM OLD.country OR NEW.received_at_ms IS DISTINCT FROM OLD.received_at_ms OR NEW.channel IS DISTINCT FROM OLD.channel OR NEW.requester_name IS DISTINCT FROM OLD.requester_name OR NEW.requester_contact IS DISTINCT FROM OLD.requester_contact OR NEW.footage IS DISTINCT FROM OLD.footage OR NEW.recorded_by IS DISTINCT FROM OLD.recorded_by OR NEW.recorded_at_ms IS DISTINCT FROM OLD.recorded_at_ms OR NEW.deadline_ms IS DISTINCT FROM OLD.deadline_ms OR (NEW.status IS DISTINCT FROM OLD.status AND NOT ((OLD.status = 'open' AND NEW.status = 'decided') OR (OLD.status = 'decided' AND NEW.status = 'answered'))) OR (OLD.identity_method IS NOT NULL AND (NEW.identity_method IS DISTINCT FROM OLD.identity_method OR NEW.identity_checked_by IS DISTINCT FROM OLD.identity_checked_by OR NEW.identity_note IS DISTINCT FROM OLD.identity_note OR NEW.identity_recorded_by IS DISTINCT FROM OLD.identity_recorded_by OR NEW.identity_at_ms IS DISTINCT FROM OLD.identity_at_ms)) OR (OLD.extended_until_ms IS NOT NULL AND (NEW.extended_until_ms IS DISTINCT FROM OLD.extended_until_ms OR NEW.extension_months IS DISTINCT FROM OLD.extension_months OR NEW.extension_reason IS DISTINCT FROM OLD.extension_reason OR NEW.extension_told_at_ms IS DISTINCT FROM OLD.extension_told_at_ms OR NEW.extended_by IS DISTINCT FROM OLD.extended_by OR NEW.extended_at_ms IS DISTINCT FROM OLD.extended_at_ms)) OR (OLD.decision IS NOT NULL AND (NEW.decision IS DISTINCT FROM OLD.decision OR NEW.decision_reason IS DISTINCT FROM OLD.decision_reason OR NEW.remedies_told IS DISTINCT FROM OLD.remedies_told OR NEW.fee_amount_minor IS DISTINCT FROM OLD.fee_amount_minor OR NEW.fee_currency IS DISTINCT FROM OLD.fee_currency OR NEW.fee_reason IS DISTINCT FROM OLD.fee_reason OR NEW.decided_by IS DISTINCT FROM OLD.decided_by OR NEW.decided_at_ms IS DISTINCT FROM OLD.decided_at_ms)) OR (OLD.answered_at_ms IS NOT NULL AND (NEW.answered_at_ms IS DISTINCT FROM OLD.answered_at_ms OR NEW.answer_channel IS DISTINCT FROM OLD.answer_channel OR NEW.appointment_at_ms IS DISTINCT FROM OLD.appointment_at_ms OR NEW.answer_note IS DISTINCT FROM OLD.answer_note OR NEW.answered_by IS DISTINCT FROM OLD.answered_by))`, message: 'a data-subject request is a record: each step is written once' });
  },
};

// Engine proposals of breach records (docs/design/breaches.md "Proposed by the engine"; JON 23).
// recordings.checked_at_ms / integrity: when a closed file's stored SHA-256 was last re-checked, and
// what a re-check found ('missing' or 'changed'; proposed once, never checked again). The partial
// index serves the re-check's "least recently checked first" (a never-checked file counts from its end).
// breach_watch_runs: when each scheduled check last ran (the daily audit verification), so a
// restarted engine neither repeats it nor skips a day it was down at the quiet hour.
MIGRATIONS['0021_breach_watch'] = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('recordings').addColumn('checked_at_ms', 'bigint').execute();
    await db.schema.alterTable('recordings').addColumn('integrity', 'text').execute();
    // An expression in a partial index (both databases): the re-check's queue.
    await sql`CREATE INDEX recordings_check_due ON recordings (coalesce(checked_at_ms, end_ms)) WHERE state = 'complete' AND integrity IS NULL`.execute(db);
    await db.schema
      .createTable('breach_watch_runs')
      .addColumn('name', 'text', (c) => c.primaryKey())
      .addColumn('at_ms', 'bigint', (c) => c.notNull())
      .execute();
  },
};

// Pan-tilt-zoom (docs/design/ptz.md). The presets themselves live on the camera (ONVIF); the console
// keeps who saved each one through it and when (ptz_presets), and per camera the preset it returns
// to after a while without control (ptz_settings). PTZ sessions are audited (ptz.acquire,
// ptz.session.ended), not stored here.
MIGRATIONS['0022_ptz'] = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('ptz_presets')
      .addColumn('camera_id', 'integer', (c) => c.notNull().references('cameras.id').onDelete('cascade'))
      .addColumn('token', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('saved_by', 'text', (c) => c.notNull())
      .addColumn('saved_at_ms', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('ptz_presets_pk', ['camera_id', 'token'])
      .execute();
    await db.schema
      .createTable('ptz_settings')
      .addColumn('camera_id', 'integer', (c) => c.primaryKey().references('cameras.id').onDelete('cascade'))
      .addColumn('park_preset_token', 'text')
      .addColumn('park_after_ms', 'integer', (c) => c.notNull())
      .addColumn('updated_by', 'text', (c) => c.notNull())
      .addColumn('updated_at_ms', 'bigint', (c) => c.notNull())
      .execute();
  },
};

// Several engines (nodes) of one site on a shared PostgreSQL database (docs/design/scale.md): which
// node ingests and records each camera is a lease renewed every few seconds; a camera's home node
// records it while it is up, the others take it over while it is not. The recording index names the
// node whose disk holds each file. On one machine every file is 'local' and no lease is taken.
MIGRATIONS['0023_nodes'] = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('nodes')
      .addColumn('name', 'text', (c) => c.primaryKey())
      .addColumn('url', 'text', (c) => c.notNull())
      .addColumn('started_at_ms', 'bigint', (c) => c.notNull())
      .addColumn('seen_at_ms', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('camera_leases')
      .addColumn('camera_id', 'integer', (c) => c.primaryKey().references('cameras.id').onDelete('cascade'))
      .addColumn('node', 'text', (c) => c.notNull())
      .addColumn('expires_at_ms', 'bigint', (c) => c.notNull())
      .addColumn('since_ms', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('camera_leases_node').on('camera_leases').column('node').execute();
    await db.schema.alterTable('cameras').addColumn('home_node', 'text').execute();
    await db.schema.alterTable('recordings').addColumn('node', 'text', (c) => c.notNull().defaultTo('local')).execute();
    await db.schema.createIndex('recordings_node').on('recordings').columns(['node', 'state']).execute();
  },
};

// A seat signed in at one node uses the others (docs/design/scale.md "Seats on any node"): the node a
// seat signed in to keeps its sessions in site_sessions (started, locked, ended), and a live view of
// a camera another node ingests, or the recorded files on another node's disk in a playback, is a
// media grant that node claims once and checks, with the session, on every request. Each node writes its streams' states for the seats of the others, and
// the CA it presents, so a node with another CA is refused before it serves a seat.
MIGRATIONS['0024_site_sessions'] = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('nodes').addColumn('ca_fingerprint', 'text').execute();
    await db.schema
      .createTable('site_sessions')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('node', 'text', (c) => c.notNull())
      .addColumn('user_id', 'integer', (c) => c.notNull())
      .addColumn('username', 'text', (c) => c.notNull())
      .addColumn('role', 'text', (c) => c.notNull())
      .addColumn('parked', 'integer', (c) => c.notNull())
      .addColumn('locked', 'integer', (c) => c.notNull())
      .addColumn('started_at_ms', 'bigint', (c) => c.notNull())
      .addColumn('ended_at_ms', 'bigint')
      .execute();
    await db.schema.createIndex('site_sessions_open').on('site_sessions').columns(['node', 'ended_at_ms']).execute();
    await db.schema
      .createTable('media_grants')
      .addColumn('token_hash', 'text', (c) => c.primaryKey())
      .addColumn('view_id', 'text', (c) => c.notNull())
      .addColumn('node', 'text', (c) => c.notNull())
      .addColumn('issued_by', 'text', (c) => c.notNull())
      .addColumn('connection_id', 'text', (c) => c.notNull())
      .addColumn('session_id', 'text', (c) => c.notNull())
      .addColumn('user_id', 'integer', (c) => c.notNull())
      .addColumn('username', 'text', (c) => c.notNull())
      // 'live': one camera stream; 'still': the same, for one still of the masks editor; 'playback':
      // recorded footage of camera_ids in [from_ms, to_ms) until expires_at_ms.
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('camera_id', 'integer', (c) => c.notNull())
      .addColumn('stream', 'text', (c) => c.notNull())
      .addColumn('camera_ids', 'text')
      .addColumn('from_ms', 'bigint')
      .addColumn('to_ms', 'bigint')
      .addColumn('expires_at_ms', 'bigint')
      .addColumn('created_at_ms', 'bigint', (c) => c.notNull())
      .addColumn('claimed_at_ms', 'bigint')
      .addColumn('ended_at_ms', 'bigint')
      .addColumn('end_reason', 'text')
      .execute();
    await db.schema.createIndex('media_grants_connection').on('media_grants').columns(['issued_by', 'connection_id']).execute();
    await db.schema.createIndex('media_grants_created').on('media_grants').column('created_at_ms').execute();
    await db.schema
      .createTable('stream_states')
      .addColumn('camera_id', 'integer', (c) => c.notNull())
      .addColumn('stream', 'text', (c) => c.notNull())
      .addColumn('node', 'text', (c) => c.notNull())
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('detail', 'text')
      .addColumn('transcoding', 'integer', (c) => c.notNull())
      .addColumn('since_ms', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('stream_states_pk', ['camera_id', 'stream', 'node'])
      .execute();
  },
};

// Camera passwords of a site of several nodes (docs/design/scale.md "Camera passwords on every
// node"): sealed under the site's secrets key (secrets/site-secret-store.ts), so whichever node holds
// a camera's lease can open its password. A single machine keeps them in its keychain as before.
MIGRATIONS['0025_site_secrets'] = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('site_secrets')
      .addColumn('account', 'text', (c) => c.primaryKey())
      .addColumn('sealed', blobType(db), (c) => c.notNull())
      .addColumn('updated_at_ms', 'bigint', (c) => c.notNull())
      .execute();
  },
};

// The site's scheduled jobs run on one node at a time (docs/design/scale.md "Leases"): a lease row
// like a camera's, taken and renewed in the same rounds.
MIGRATIONS['0026_site_jobs'] = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('site_jobs')
      .addColumn('name', 'text', (c) => c.primaryKey())
      .addColumn('node', 'text', (c) => c.notNull())
      .addColumn('expires_at_ms', 'bigint', (c) => c.notNull())
      .execute();
  },
};

// Who steers each PTZ camera, for every node of a site (docs/design/ptz.md "On a site of several
// nodes"): one row per camera held, renewed every second by the holder's node on the database's clock.
MIGRATIONS['0027_ptz_holders'] = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('ptz_holders')
      .addColumn('camera_id', 'integer', (c) => c.primaryKey())
      .addColumn('node', 'text', (c) => c.notNull())
      .addColumn('session_id', 'text', (c) => c.notNull())
      .addColumn('user_id', 'integer', (c) => c.notNull())
      .addColumn('username', 'text', (c) => c.notNull())
      .addColumn('display_name', 'text', (c) => c.notNull())
      .addColumn('role', 'text', (c) => c.notNull())
      .addColumn('since_ms', 'bigint', (c) => c.notNull())
      .addColumn('last_command_at_ms', 'bigint', (c) => c.notNull())
      .addColumn('seen_at_ms', 'bigint', (c) => c.notNull())
      .execute();
  },
};

// A node retired for good by an administrator (docs/design/scale.md "Retiring a node"): its row stays,
// saying when, by whom and why; it never takes a lease again.
MIGRATIONS['0028_nodes_retired'] = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('nodes').addColumn('retired_at_ms', 'bigint').execute();
    await db.schema.alterTable('nodes').addColumn('retired_by', 'text').execute();
    await db.schema.alterTable('nodes').addColumn('retire_reason', 'text').execute();
  },
};

// Changes to the site's configuration announced by the database itself (docs/design/scale.md
// "Changes made at one node"), PostgreSQL only (a SQLite store has one engine). A trigger on each
// table that other nodes keep something of in memory sends a notice on the events' channel
// (`console_events`, nodes/event-relay.ts) as part of the writing transaction: PostgreSQL delivers it
// when, and only when, that transaction commits, so no committed change goes untold (an engine that
// died right after its commit had told no one before), no rolled-back one is told, and a change made
// outside any engine (an administrator's SQL) is told too. The notice names the node whose
// connection wrote (`console.node`, set by the engine on each connection) or none; identical notices
// of one transaction reach the listeners once.
const SITE_CHANGE_TRIGGERS: { table: string; event: string; change: 'cameras' | 'settings' }[] = [
  // A camera (address, enabling, home node, group), who sees it, and its privacy masks.
  { table: 'cameras', event: 'INSERT OR UPDATE OR DELETE', change: 'cameras' },
  { table: 'camera_groups', event: 'INSERT OR UPDATE OR DELETE', change: 'cameras' },
  { table: 'user_groups', event: 'INSERT OR UPDATE OR DELETE', change: 'cameras' },
  { table: 'users', event: 'INSERT OR DELETE OR UPDATE OF role, active, access_state', change: 'cameras' },
  { table: 'privacy_mask_versions', event: 'INSERT', change: 'cameras' },
  // The security settings and the site's country.
  { table: 'settings', event: 'INSERT OR UPDATE OR DELETE', change: 'settings' },
];
MIGRATIONS['0029_site_change_notices'] = {
  async up(db: Kysely<unknown>) {
    if (!isPostgres(db)) return;
    await sql`CREATE FUNCTION console_site_changed() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('console_events', json_build_object('node', NULLIF(current_setting('console.node', true), ''), 'change', TG_ARGV[0])::text);
        RETURN NULL;
      END $$`.execute(db);
    for (const t of SITE_CHANGE_TRIGGERS) {
      await sql.raw(`CREATE TRIGGER ${t.table}_site_changed AFTER ${t.event} ON ${t.table} FOR EACH STATEMENT EXECUTE FUNCTION console_site_changed('${t.change}')`).execute(db);
    }
  },
};
