// Pan-tilt-zoom commands (docs/design/ptz.md). The dispatcher has checked the permission
// (ptz.control, or ptz.presets for what changes a camera's presets) and that the caller sees the
// camera; the service decides who steers it.
import type { PTZ_COMMANDS, PtzPresetView } from '../../../shared/contract';
import { fail, ok } from '../../../shared/result';
import type { PtzPresetInfo } from '../cameras/onvif-ptz';
import { requireSession, type HandlersOf } from '../dispatcher';
import type { PtzService } from './ptz-service';
import type { PtzStore } from './ptz-store';

export interface PtzHandlerDeps {
  ptz: PtzService;
  store: PtzStore;
}

const sameName = (a: string, b: string) => a.localeCompare(b, undefined, { sensitivity: 'accent' }) === 0;

export function createPtzHandlers(d: PtzHandlerDeps): HandlersOf<typeof PTZ_COMMANDS> {
  const { ptz, store } = d;
  const done = { done: true } as const;
  return {
    'ptz.acquire': (r, ctx) => ptz.acquire(requireSession(ctx), r.cameraId, r.takeOver ?? false),
    'ptz.move': (r, ctx) => ptz.move(requireSession(ctx), r.cameraId, { pan: r.pan, tilt: r.tilt, zoom: r.zoom }),
    'ptz.stop': (r, ctx) => ptz.stop(requireSession(ctx), r.cameraId),
    'ptz.release': (r, ctx) => ptz.release(requireSession(ctx), r.cameraId),
    'ptz.status': async (r, ctx) => ok(await ptz.status(requireSession(ctx), r.cameraId)),

    'ptz.presets': async (r) => {
      const read = await ptz.withDevice(r.cameraId, async (device) => ({ presets: await device.presets(), homeSupported: device.homeSupported, maxPresets: device.maxPresets }));
      if (!read.ok) return read;
      const saved = await store.presets(r.cameraId);
      const presets: PtzPresetView[] = read.value.presets.map((p) => {
        // What the console recorded counts only while the camera still has that preset by that name.
        const s = saved.get(p.token);
        return { token: p.token, name: p.name, savedBy: s && s.name === p.name ? s.savedBy : null, savedAtMs: s && s.name === p.name ? s.savedAtMs : null };
      });
      return ok({ cameraId: r.cameraId, presets, homeSupported: read.value.homeSupported, maxPresets: read.value.maxPresets });
    },

    'ptz.gotoPreset': async (r, ctx) => {
      const moved = await ptz.onHeld(requireSession(ctx), r.cameraId, (device) => device.gotoPreset(r.presetToken));
      return moved.ok ? ok(done) : moved;
    },

    'ptz.home': async (r, ctx) => {
      const moved = await ptz.onHeld(requireSession(ctx), r.cameraId, async (device) => {
        if (device.homeSupported === false) return false;
        await device.gotoHome();
        return true;
      });
      if (!moved.ok) return moved;
      return moved.value ? ok(done) : fail('FailedPrecondition', 'The camera has no home position.');
    },

    // Saved where the holder has steered the camera: only the holder saves.
    'ptz.savePreset': async (r, ctx) => {
      const s = requireSession(ctx);
      const saved = await ptz.onHeld(s, r.cameraId, async (device): Promise<PtzPresetInfo | 'exists' | 'unknown'> => {
        const existing = await device.presets();
        if (r.presetToken !== undefined && !existing.some((p) => p.token === r.presetToken)) return 'unknown';
        // Cameras differ on duplicate names; the console keeps them unique so a preset is found by its name.
        if (existing.some((p) => sameName(p.name, r.name) && p.token !== r.presetToken)) return 'exists';
        return { token: await device.setPreset(r.name, r.presetToken), name: r.name };
      });
      if (!saved.ok) return saved;
      if (saved.value === 'unknown') return fail('NotFound', 'The camera has no such preset (it may have been removed).');
      if (saved.value === 'exists') return fail('AlreadyExists', 'The camera already has a preset of that name.');
      const record = await store.presetSaved(r.cameraId, saved.value.token, r.name, s.username);
      return ok({ token: saved.value.token, name: r.name, savedBy: record.savedBy, savedAtMs: record.savedAtMs });
    },

    'ptz.removePreset': async (r, ctx) => {
      const removed = await ptz.withDevice(r.cameraId, (device) => device.removePreset(r.presetToken));
      if (!removed.ok) return removed;
      await store.presetRemoved(r.cameraId, r.presetToken);
      const park = await store.park(r.cameraId);
      // A camera must not be sent back to a preset that no longer exists.
      if (park?.presetToken === r.presetToken) await store.setPark(r.cameraId, { presetToken: null, afterMs: park.afterMs }, requireSession(ctx).username);
      return ok(done);
    },

    'ptz.setHome': async (r, ctx) => {
      const set = await ptz.onHeld(requireSession(ctx), r.cameraId, (device) => device.setHome());
      return set.ok ? ok(done) : set;
    },

    'ptz.setPark': async (r, ctx) => {
      const s = requireSession(ctx);
      if (r.presetToken !== null) {
        const token = r.presetToken;
        const exists = await ptz.withDevice(r.cameraId, async (device) => (await device.presets()).some((p) => p.token === token));
        if (!exists.ok) return exists;
        if (!exists.value) return fail('NotFound', 'The camera has no such preset (it may have been removed).');
      }
      await store.setPark(r.cameraId, { presetToken: r.presetToken, afterMs: r.afterSeconds * 1000 }, s.username);
      return ok(await ptz.status(s, r.cameraId));
    },
  };
}
