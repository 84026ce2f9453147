// Site settings (shared/contract/site.ts).
import type { SITE_COMMANDS } from '../../../shared/contract';
import { ok } from '../../../shared/result';
import type { HandlersOf } from '../dispatcher';
import type { SiteService } from './site-service';

export function createSiteHandlers(d: { site: SiteService }): HandlersOf<typeof SITE_COMMANDS> {
  return {
    'site.get': async () => ok(await d.site.view()),
    'site.setCountry': async (r) => {
      await d.site.setCountry(r.country);
      return ok(await d.site.view());
    },
  };
}
