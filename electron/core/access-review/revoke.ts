// What a revoke in the access review does, at once (BRN art. 34(1)(ii)-(iv); JON 15.3;
// docs/design/access-review.md "Revoking"). Every revoke goes through revokeLine, the one place that
// changes an account's rights for the review, so that it can be routed through the register of
// authorised persons (docs/design/authorised-persons.md) as one more way a grant ends.
// - A group line: the group is taken from the account; its cameras are no longer visible to it from
//   the next request on (the media server checks visibility on every request). The register of
//   authorised persons records it as a grant of fewer rights, naming the review.
// - The role line: the account no longer needs any access: it is deactivated, its camera groups are
//   taken, its grant ends as revoked, and its open sessions end (as when an administrator changes a role).
import { fail, ok, type Result } from '../../../shared/result';
import type { ReviewEffect } from '../../../shared/contract';
import { endSession } from '../auth/handlers';
import type { SessionRegistry } from '../auth/sessions';
import { userRole, type UsersService } from '../auth/users-service';
import type { AccessGrantsService } from '../access/grants-service';
import type { CamerasService } from '../cameras/cameras-service';
import type { Clock } from '../clock';
import type { HandlerContext } from '../dispatcher';

export interface RevokeDeps {
  users: Pick<UsersService, 'byId' | 'groupIds' | 'setGroups' | 'update' | 'countActiveAdmins'>;
  cameras: Pick<CamerasService, 'visibilityChanged'>;
  sessions: SessionRegistry;
  clock: Clock;
  grants: Pick<AccessGrantsService, 'change' | 'endFor'>;
}

export interface RevokedLine {
  kind: 'role' | 'group';
  userId: number;
  groupId: number | null;
  /** The campaign's reference (AR-n), for the sessions' end reason. */
  reference: string;
}

/** Takes the line's right away now. Answers what it did, or why it could not. */
export async function revokeLine(d: RevokeDeps, line: RevokedLine, by: string, ctx: Pick<HandlerContext, 'audit' | 'connection'>): Promise<Result<ReviewEffect>> {
  const row = await d.users.byId(line.userId);
  if (!row) return fail('NotFound', 'The account of this line no longer exists.');
  const groups = await d.users.groupIds(row.id);

  if (line.kind === 'group') {
    if (line.groupId === null || !groups.includes(line.groupId)) return ok('group_already_removed');
    const changed = await d.grants.change({
      userId: row.id,
      role: userRole(row),
      groupIds: groups.filter((g) => g !== line.groupId),
      change: 'fewer_rights',
      basis: undefined,
      validUntilMs: undefined,
      by,
      note: `revoked in access review ${line.reference}`,
    });
    if (!changed.ok) return fail(changed.kind, changed.message);
    d.cameras.visibilityChanged();
    return ok('group_removed');
  }

  if (row.active !== 1) {
    if (groups.length > 0) {
      await d.users.setGroups(row.id, []);
      d.cameras.visibilityChanged();
    }
    return ok('account_already_inactive');
  }
  // As users.deactivate: someone must still be able to administer the site.
  if (row.role === 'administrator' && (await d.users.countActiveAdmins(row.id)) === 0) {
    return fail('FailedPrecondition', 'The last active administrator keeps the role: make another administrator first.');
  }
  await d.users.update(row.id, { active: 0, deactivated_at_ms: d.clock.nowMs() });
  await d.grants.endFor(row.id, 'revoked', by);
  await d.users.setGroups(row.id, []);
  d.cameras.visibilityChanged();
  for (const s of d.sessions.forUser(row.id)) await endSession(d.sessions, ctx, s, `access revoked in review ${line.reference} by ${by}`);
  return ok('account_deactivated');
}
