// Whether the signed-in user holds a permission, for components placed where the session is not
// passed down (an incident's detail, the live wall). The engine refuses anyway (R5): this
// only hides what the user could not do.
import type { SessionView } from '../../shared/contract';
import { useCommand } from './use-command';

export function useHasPermission(permission: SessionView['permissions'][number]): boolean {
  const status = useCommand('session.status', {}, []);
  return status.value?.signedIn === true && status.value.session.permissions.includes(permission);
}
