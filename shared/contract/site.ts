// Site settings every feature reads: the country whose working days and public holidays set legal
// deadlines (JON 20, BRN 16.4), and the fingerprint of the site's signing key (docs/design/exports.md).
import { z } from 'zod';
import { command } from './define';
import { empty } from './fields';

/** Countries whose working days and public holidays set the deadlines (the site's setting). */
export const SITE_COUNTRIES = ['PL', 'LT', 'CZ'] as const;
export type SiteCountry = (typeof SITE_COUNTRIES)[number];

export const siteView = z.strictObject({ country: z.enum(SITE_COUNTRIES), signingKeyFingerprint: z.string().nullable() });
export type SiteView = z.infer<typeof siteView>;

export const SITE_COMMANDS = {
  'site.get': command({
    request: empty,
    response: siteView,
    access: { kind: 'session' },
    audit: { when: 'never', why: 'the site country and the public key fingerprint, no personal data' },
    example: {},
  }),
  'site.setCountry': command({
    request: z.strictObject({ country: z.enum(SITE_COUNTRIES) }),
    response: siteView,
    access: { kind: 'permission', permission: 'settings.manage' },
    audit: { when: 'before' },
    target: () => 'site',
    // The default country again, so the administrator's allowed call in the matrix changes nothing.
    example: { country: 'PL' },
  }),
} as const;
