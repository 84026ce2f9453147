// Cameras: configuration by administrators, the list guards see, ONVIF discovery and probing
// (docs/design/live-pipeline.md, docs/design/onvif.md; KRK §6.1 purpose, ELB 1.9 confidential
// locations, R8 no audio). Camera passwords go to the OS keychain, never into an answer.
import { z } from 'zod';
import { AREA_TYPE_IDS, retentionRefusal, splitCredentials, TILE_STATES } from '../cameras';
import { command } from './define';
import { empty, id, isVisibleText, longText, text } from './fields';
import { nodeName } from './nodes';

/**
 * A device address as typed or pasted, credentials split out at parse time (docs/design/threat-model.md):
 * from here on the URL never carries them, so no audit target, log line, stored row or answer can,
 * and the user name and password travel in fields named as such (redacted from audit details).
 */
function credentialUrl(pattern: RegExp, message: string) {
  return z
    .string()
    .max(2048)
    .transform((s) => s.trim())
    .pipe(z.string().regex(pattern, message).refine((s) => isVisibleText(s), 'contains control or invisible characters'))
    .transform((s) => splitCredentials(s));
}
const cameraUrl = credentialUrl(/^rtsps?:\/\/\S+$/i, 'must be an rtsp:// or rtsps:// URL');
const onvifXaddr = credentialUrl(/^https?:\/\/\S+$/i, 'must be an http:// or https:// ONVIF device address');
export type CredentialUrl = ReturnType<typeof splitCredentials>;
const cameraUsername = z.string().max(128).refine((s) => isVisibleText(s), 'contains control or invisible characters');
const cameraPassword = z.string().max(256);

export const streamStatusView = z.strictObject({
  state: z.enum(TILE_STATES),
  detail: z.string().nullable(),
  transcoding: z.boolean(),
  sinceMs: z.number(),
});
export type StreamStatusView = z.infer<typeof streamStatusView>;

export const cameraView = z.strictObject({
  id,
  name: z.string(),
  site: z.string(),
  groupId: id,
  groupName: z.string(),
  purpose: z.string(),
  /** Null when the location is confidential and the role may not see it (ELB 1.9). */
  location: z.string().nullable(),
  hasSubStream: z.boolean(),
  enabled: z.boolean(),
  main: streamStatusView,
  sub: streamStatusView.nullable(),
});
export type CameraView = z.infer<typeof cameraView>;

export const cameraSettings = z.strictObject({
  name: text(100),
  site: text(100),
  groupId: id,
  /** KRK §6.1: every camera has a defined purpose. */
  purpose: longText(500, 5),
  areaType: z.enum(AREA_TYPE_IDS as [string, ...string[]]),
  /** At most the area type's legal maximum (BRN 40.4, 41.4, 42.5; JON 11; ELB 1.10): checked below. */
  retentionDays: z.number().int().min(1).max(3650),
  /**
   * A note on the retention chosen, never required: retention cannot exceed the legal maximum, so
   * there is nothing left to justify (footage needed longer goes under a legal hold). Kept for the
   * reasons stored with cameras before the maximum was enforced.
   */
  retentionReason: longText(500, 5).nullable(),
  location: longText(300, 0),
  locationConfidential: z.boolean(),
  /**
   * Masking at the source (R7; docs/design/privacy-masks.md): both streams re-encoded on the engine
   * machine with the permanent masks burned in, so no seat and no file gets the hidden pixels.
   * Optional: a new camera without it has it off; a change without it keeps the stored value.
   */
  maskAtSource: z.boolean().optional(),
  /**
   * The node that records the camera while that node is up (docs/design/scale.md "Leases"); null:
   * any node. The engine refuses a name that is not one of the site's nodes. Optional like
   * maskAtSource: a new camera without it has none; a change without it keeps the stored value.
   */
  homeNode: nodeName.nullable().optional(),
}).superRefine((s, ctx) => {
  // Retention is a maximum per area type (docs/design/recording.md "Retention"); the engine's
  // cameras service checks it again for callers that do not come through the contract.
  const refusal = retentionRefusal(s.areaType, s.retentionDays);
  if (refusal) ctx.addIssue({ code: 'custom', path: ['retentionDays'], message: refusal });
});
export type CameraSettings = z.infer<typeof cameraSettings>;

export const cameraSource = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('onvif'), xaddr: onvifXaddr, mainProfile: text(64), subProfile: text(64).nullable() }),
  z.strictObject({ kind: z.literal('rtsp'), mainUrl: cameraUrl, subUrl: cameraUrl.nullable() }),
]);
export type CameraSource = z.output<typeof cameraSource>;

export const cameraAdminView = z.strictObject({
  ...cameraView.shape,
  location: z.string(),
  locationConfidential: z.boolean(),
  areaType: z.string(),
  retentionDays: z.number().int(),
  retentionReason: z.string().nullable(),
  audioEnabled: z.boolean(),
  maskAtSource: z.boolean(),
  /** Its home node (null: any node). */
  homeNode: z.string().nullable(),
  /** The node holding its lease now, which ingests and records it; null when none does (a single machine has no leases). */
  heldBy: z.string().nullable(),
  source: z.strictObject({
    kind: z.enum(['onvif', 'rtsp']),
    /** Without credentials, always. */
    xaddr: z.string().nullable(),
    mainProfile: z.string().nullable(),
    subProfile: z.string().nullable(),
    /** Without credentials, always. */
    mainUrl: z.string(),
    subUrl: z.string().nullable(),
  }),
  username: z.string().nullable(),
  hasPassword: z.boolean(),
  createdAtMs: z.number(),
});
export type CameraAdminView = z.infer<typeof cameraAdminView>;

export const onvifProfileView = z.strictObject({
  token: z.string(),
  name: z.string(),
  encoding: z.string(),
  width: z.number().int(),
  height: z.number().int(),
  /** Without credentials. */
  rtspUrl: z.string().nullable(),
});

const manageCameras = { kind: 'permission', permission: 'cameras.manage' } as const;
const configures = { siteWide: 'administrators configure every camera; they see no footage' };
/** What adding and changing a camera both carry. For a change, a null password keeps the stored one
 *  while the camera's host stays the same; a string replaces it ('' removes it). */
const cameraFields = {
  settings: cameraSettings,
  source: cameraSource,
  username: cameraUsername.nullable(),
  password: cameraPassword.nullable(),
};
const exampleCamera = {
  settings: { name: 'Matrix cam', site: 'Nowhere', groupId: 999, purpose: 'matrix test', areaType: 'office', retentionDays: 3, retentionReason: null, location: '', locationConfidential: false },
  source: { kind: 'rtsp', mainUrl: 'rtsp://127.0.0.1:9/none', subUrl: null },
  username: null,
  password: null,
} as const;

export const CAMERA_COMMANDS = {
  'cameras.list': command({
    request: empty,
    response: z.strictObject({ cameras: z.array(cameraView) }),
    access: { kind: 'permission', permission: 'live.view' },
    audit: { when: 'never', why: 'lists the cameras the caller may watch; watching is audited' },
    scope: { filtered: 'only the cameras of the caller’s groups' },
    example: {},
  }),
  'cameras.adminList': command({
    request: empty,
    response: z.strictObject({ cameras: z.array(cameraAdminView) }),
    access: manageCameras,
    audit: { when: 'never', why: 'configuration only; changes are audited' },
    scope: configures,
    example: {},
  }),
  'cameras.discover': command({
    request: empty,
    response: z.strictObject({
      devices: z.array(z.strictObject({ xaddr: z.string(), name: z.string(), hardware: z.string(), alreadyAdded: z.boolean() })),
    }),
    access: manageCameras,
    audit: { when: 'before' },
    target: () => 'network',
    example: {},
  }),
  'cameras.probe': command({
    request: z.strictObject({ xaddr: onvifXaddr, username: cameraUsername, password: cameraPassword }),
    response: z.strictObject({
      manufacturer: z.string(),
      model: z.string(),
      profiles: z.array(onvifProfileView),
    }),
    access: manageCameras,
    audit: { when: 'before' },
    target: (r) => `onvif:${r.xaddr.url}`,
    example: { xaddr: 'http://127.0.0.1:9/onvif/device_service', username: 'admin', password: 'x' },
  }),
  'cameras.add': command({
    request: z.strictObject(cameraFields),
    response: cameraAdminView,
    access: manageCameras,
    audit: { when: 'before' },
    target: (r) => `camera:${r.settings.name}`,
    example: exampleCamera,
  }),
  'cameras.update': command({
    request: z.strictObject({ cameraId: id, ...cameraFields }),
    response: cameraAdminView,
    access: manageCameras,
    audit: { when: 'before' },
    scope: configures,
    target: (r) => `camera#${r.cameraId}`,
    example: { cameraId: 999, ...exampleCamera },
  }),
  'cameras.setEnabled': command({
    request: z.strictObject({ cameraId: id, enabled: z.boolean(), reason: longText(500, 5) }),
    response: cameraAdminView,
    access: manageCameras,
    audit: { when: 'before' },
    scope: configures,
    target: (r) => `camera#${r.cameraId}`,
    example: { cameraId: 999, enabled: false, reason: 'maintenance' },
  }),
} as const;
