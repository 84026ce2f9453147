// A camera's PTZ failure as a command result (docs/design/ptz.md): the ONVIF adapter's errors are
// already in words for a person (docs/design/onvif.md); here they get the error kind the seat acts
// on. Anything else is a fault of ours: logged, and said without details.
import { fail, type Result } from '../../../shared/result';
import { OnvifError } from '../cameras/onvif-error';
import { OnvifFaultError } from '../cameras/onvif-soap';
import type { Logger } from '../logger';

export function ptzFailure(err: unknown, logger: Logger, cameraId: number): Result<never> {
  if (err instanceof OnvifFaultError) {
    const codes = new Set(err.fault.codes);
    if (codes.has('NoToken')) return fail('NotFound', 'The camera has no such preset (it may have been removed).');
    if (codes.has('PresetExist')) return fail('AlreadyExists', 'The camera already has a preset of that name.');
    if (codes.has('TooManyPresets')) return fail('FailedPrecondition', 'The camera holds no more presets: remove one first.');
    if (codes.has('InvalidPresetName')) return fail('InvalidArgument', `The camera refused the preset name: ${err.message}`);
    if (codes.has('NoHomePosition') || codes.has('CannotOverwriteHome')) return fail('FailedPrecondition', `The camera refused its home position: ${err.message}`);
    return fail('FailedPrecondition', err.message);
  }
  if (err instanceof OnvifError) {
    if (err.kind === 'unreachable' || err.kind === 'timeout' || err.kind === 'malformed') return fail('Unavailable', err.message);
    return fail('FailedPrecondition', err.message);
  }
  logger.error('PTZ command failed unexpectedly', { cameraId, error: err });
  return fail('Unavailable', 'The camera could not be steered; the failure has been logged.');
}
