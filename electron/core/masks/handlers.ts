// Privacy masks (R7; docs/design/privacy-masks.md). The dispatcher has checked the permission and
// that the camera is visible to the caller.
import type { MASK_COMMANDS } from '../../../shared/contract';
import { fail, ok } from '../../../shared/result';
import type { CamerasService } from '../cameras/cameras-service';
import { checkCredentials, type AuthDeps } from '../auth/handlers';
import { sessionMay, type Session } from '../auth/sessions';
import { userRole } from '../auth/users-service';
import type { Clock } from '../clock';
import { requireSession, type HandlersOf } from '../dispatcher';
import type { LiveService } from '../live/live-service';
import type { Fragment, InitSegment } from '../media/fmp4';
import type { MasksService } from './masks-service';
import { reportHandler, type MaskReportDeps } from './report-handler';
import { maskedStill, nextKeyframe } from './still';

export interface MaskHandlerDeps extends Omit<MaskReportDeps, 'masks' | 'cameras' | 'clock'> {
  masks: MasksService;
  cameras: CamerasService;
  live: LiveService;
  ffmpegPath: string | null;
  /** A second person's password is checked as a sign-in is (throttled, lockout). */
  credentials: Pick<AuthDeps, 'users' | 'settings' | 'throttle'>;
  clock: Clock;
  /** Several nodes: the newest keyframe of a camera another node ingests, taken there for this session (nodes/remote-still.ts). */
  remoteKeyframe?: ((s: Session, cameraId: number, timeoutMs: number) => Promise<{ init: InitSegment; fragment: Fragment; atMs: number }>) | null;
}

export function createMaskHandlers(d: MaskHandlerDeps): HandlersOf<typeof MASK_COMMANDS> {
  const { masks } = d;
  return {
    'masks.get': async (r) => {
      if (!(await d.cameras.byId(r.cameraId))) return fail('NotFound', 'No such camera.');
      const history = await masks.history(r.cameraId);
      return ok({ cameraId: r.cameraId, current: history.at(-1) ?? null, history });
    },

    'masks.save': async (r, ctx) => {
      if (!(await d.cameras.byId(r.cameraId))) return fail('NotFound', 'No such camera.');
      return ok(await masks.save(requireSession(ctx).username, r.cameraId, r.masks, r.reason));
    },

    'masks.still': async (r, ctx) => {
      const camera = await d.cameras.byId(r.cameraId);
      if (!camera) return fail('NotFound', 'No such camera.');
      if (camera.enabled !== 1) return fail('FailedPrecondition', 'The camera is disabled: enable it to take a still.');
      if (!d.ffmpegPath) return fail('Unavailable', 'ffmpeg is missing on the engine machine: no still can be made.');
      let key;
      try {
        key = d.remoteKeyframe && d.live.ingestedElsewhere(r.cameraId) ? await d.remoteKeyframe(requireSession(ctx), r.cameraId, 6000) : await nextKeyframe((l) => d.live.subscribe(r.cameraId, l), 6000);
      } catch (err) {
        return fail('Unavailable', `No still of this camera: ${(err as Error).message}.`);
      }
      let still;
      try {
        still = await maskedStill(d.ffmpegPath, key.init, key.fragment, await masks.liveMasks(r.cameraId));
      } catch (err) {
        return fail('Unavailable', `No still of this camera: ${(err as Error).message.slice(0, 300)}.`);
      }
      return ok({ jpegBase64: still.jpeg.toString('base64'), width: still.width, height: still.height, capturedAtMs: key.atMs });
    },

    // R7: liftable masks only, for the caller's session, with a reason, for at most the site's limit.
    'masks.lift': async (r, ctx) => {
      const s = requireSession(ctx);
      const { maskLiftMinutes, maskLiftSecondPerson } = d.credentials.settings.security;
      const current = await masks.liveMasks(r.cameraId);
      if (!current.some((m) => m.kind === 'liftable')) {
        return fail('FailedPrecondition', current.length ? 'This camera’s masks are all permanent: permanent masks are never lifted in the console.' : 'This camera has no privacy masks to lift.');
      }
      const minutes = r.minutes ?? maskLiftMinutes;
      if (minutes > maskLiftMinutes) return fail('InvalidArgument', `Masks are lifted for at most ${maskLiftMinutes} min on this site.`, ['minutes: overLimit']);
      let authorisedBy: string | null = null;
      if (r.secondPerson) {
        if (r.secondPerson.username === s.username) return fail('InvalidArgument', 'The second person must be someone else.', ['secondPerson: same']);
        const checked = await checkCredentials(d.credentials, r.secondPerson.username, r.secondPerson.password, ctx);
        if (!checked.ok) return fail(checked.error.kind, `The second person was not confirmed: ${checked.error.message}`);
        if (!sessionMay({ role: userRole(checked.value), parked: checked.value.access_state !== 'granted' }, 'masks.lift')) return fail('PermissionDenied', 'The second person may not lift privacy masks.');
        authorisedBy = checked.value.username;
      } else if (maskLiftSecondPerson) {
        return fail('FailedPrecondition', 'On this site a second person confirms every lift of privacy masks with their password.', ['secondPerson: required']);
      }
      const lift = masks.lift(s.id, r.cameraId, d.clock.nowMs() + minutes * 60_000);
      if (authorisedBy) await ctx.audit({ actor: authorisedBy, action: 'masks.liftConfirmed', target: `camera#${r.cameraId}`, outcome: 'allowed', reason: r.reason, details: { liftedBy: s.username, untilMs: lift.untilMs } });
      return ok({ cameraId: r.cameraId, lift, authorisedBy });
    },

    'masks.restore': async (r, ctx) => {
      masks.restore(requireSession(ctx).id, r.cameraId);
      return ok({ done: true as const });
    },

    'masks.report': reportHandler(d),
  };
}
