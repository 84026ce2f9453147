// masks.report: the data protection officer's report of every camera's privacy masks (R7; KRK
// §6.2-6.3, JON 8-9; docs/design/privacy-masks.md "The data protection officer's report"). Written
// as a PDF into the engine's downloads folder and offered once to the session that asked, like the
// audit CSV report (electron/core/media/downloads.ts): the file never travels in a command answer
// and is deleted once fetched or when its token expires.
import { randomBytes } from 'node:crypto';
import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fail, ok } from '../../../shared/result';
import type { GroupsService } from '../admin/groups-service';
import { REPORTS_DIR } from '../audit/audit-trail';
import type { UsersService } from '../auth/users-service';
import type { CamerasService } from '../cameras/cameras-service';
import type { Clock } from '../clock';
import { requireSession, type Handler } from '../dispatcher';
import type { Downloads } from '../media/downloads';
import type { SiteService } from '../site/site-service';
import type { MasksService } from './masks-service';
import { maskReportPdf, type ReportCamera } from './report-pdf';

export interface MaskReportDeps {
  masks: MasksService;
  cameras: Pick<CamerasService, 'all'>;
  groups: Pick<GroupsService, 'names'>;
  users: Pick<UsersService, 'byUsername'>;
  site: Pick<SiteService, 'timeZone'>;
  clock: Clock;
  /** The audit trail's downloads (its folder is `<dataDir>/reports`). */
  downloads: Pick<Downloads, 'offer'>;
  dataDir: string;
}

export function reportHandler(d: MaskReportDeps): Handler<'masks.report'> {
  return async (r, ctx) => {
    const session = requireSession(ctx);
    const groupNames = await d.groups.names();
    const rows = [...(await d.cameras.all())].sort((a, b) => a.name.localeCompare(b.name, r.language) || a.id - b.id);
    const cameras: ReportCamera[] = [];
    for (const c of rows) {
      cameras.push({
        name: c.name,
        site: c.site,
        group: groupNames.get(c.group_id) ?? `#${c.group_id}`,
        purpose: c.purpose,
        areaType: c.area_type,
        enabled: c.enabled === 1,
        maskAtSource: c.mask_at_source === 1,
        versions: await d.masks.history(c.id),
      });
    }
    // Authors as people know them; an account that is gone stays named by its user name.
    const names = new Map<string, string>();
    for (const username of new Set([session.username, ...cameras.flatMap((c) => c.versions.map((v) => v.createdBy))])) {
      const user = await d.users.byUsername(username);
      names.set(username, user && user.display_name !== username ? `${user.display_name} (${username})` : username);
    }

    const generatedAtMs = d.clock.nowMs();
    let bytes: Buffer;
    try {
      bytes = await maskReportPdf({
        language: r.language,
        timeZone: await d.site.timeZone(),
        generatedAtMs,
        generatedBy: session.username,
        nameOf: (u) => names.get(u) ?? u,
        cameras,
      });
    } catch (err) {
      return fail('Unavailable', `The privacy-masks report could not be written: ${(err as Error).message}.`);
    }
    const stamp = new Date(generatedAtMs).toISOString().replace(/[:.]/g, '-');
    const fileName = `privacy-masks-${r.language}-${stamp}-${randomBytes(3).toString('hex')}.pdf`;
    const file = path.join(d.dataDir, REPORTS_DIR, fileName);
    // Whole or not at all: the file is offered only once it is written.
    try {
      await writeFile(file, bytes, { mode: 0o600 });
    } catch (err) {
      await rm(file, { force: true });
      return fail('Unavailable', `The privacy-masks report could not be saved on the engine machine: ${(err as Error).message}.`);
    }
    const { url, expiresAtMs } = d.downloads.offer(file, fileName, { connectionId: ctx.connection.id, sessionId: session.id }, 'application/pdf');
    return ok({ fileName, cameras: cameras.length, downloadUrl: url, expiresAtMs });
  };
}
