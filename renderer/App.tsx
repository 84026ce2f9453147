// The console's top-level state: first-run setup, sign-in, then the gates a session must pass
// (password change, confidentiality commitment, JON 15.2) before the shell. The core decides
// every state; the renderer only reflects what the session view says (R5).
import { useCallback, useEffect, useState } from 'react';
import { LoadingScreen } from './components/LoadingScreen';
import { useTranslation } from 'react-i18next';
import type { SessionView } from '../shared/contract';
import { useApi } from './api/api-context';
import { applyLanguage, preSignInLanguage } from './i18n';
import { ConnectionBanner } from './components/ConnectionBanner';
import { EnrolScreen } from './seat/EnrolScreen';
import { forgetWalls } from './live/wall-memory';
import { useConnection } from './kit/use-engine-events';
import { ChangePasswordScreen } from './screens/ChangePasswordScreen';
import { CommitmentScreen } from './screens/CommitmentScreen';
import { LockScreen } from './screens/LockScreen';
import { SetupScreen } from './screens/SetupScreen';
import { Shell } from './screens/Shell';
import { SignInScreen } from './screens/SignInScreen';
import { useIdleActivity } from './session/use-idle-activity';
import { useCommand } from './kit/use-command';
import { ChangeConnectionLink } from './desktop/ChangeConnectionLink';
import { DesktopGate } from './desktop/DesktopGate';

type Phase =
  | { kind: 'loading' }
  | { kind: 'setup' }
  | { kind: 'signedOut'; notice: 'setupDone' | 'reconnected' | null; previousUser?: string | null }
  | { kind: 'session'; session: SessionView };


/** In the desktop app the first-start choice, or a seat refused for good, comes before the console (renderer/desktop). */
export function App() {
  return (
    <DesktopGate>
      <ConsoleApp />
    </DesktopGate>
  );
}

function ConsoleApp() {
  const api = useApi();
  const { t } = useTranslation();
  const connectionInfo = useConnection();
  const connection = connectionInfo.state;
  const generation = connectionInfo.generation;

  // Where to start: after every (re)connect, ask the core (an Unavailable answer leaves the console
  // loading: the connection banner shows and we ask again after the reconnect). After a reconnect
  // the engine has ended the session, so this lands on sign-in with a notice.
  const setup = useCommand('setup.status', {}, [generation]);
  const ready = setup.value !== null && !setup.value.needsSetup && !setup.loading && setup.error === null;
  const status = useCommand('session.status', ready ? {} : null, [generation, ready]);
  const start: Phase =
    setup.loading || setup.value === null || setup.error
      ? { kind: 'loading' }
      : setup.value.needsSetup
        ? { kind: 'setup' }
        : status.loading || status.value === null || status.error
          ? { kind: 'loading' }
          : status.value.signedIn
            ? { kind: 'session', session: status.value.session }
            : { kind: 'signedOut', notice: generation > 0 ? 'reconnected' : null };
  // Who was signed in before the engine was lost: the sign-in again is offered to them, and the
  // wall they had comes back when they sign in (live/wall-memory.ts).
  const [lastUser, setLastUser] = useState<string | null>(null);
  const [phase, setPhase] = useState<Phase>({ kind: 'loading' });
  // Each (re)connect's answer is applied once, when it is complete (adjusted while rendering);
  // after that, sign-in, lock and sign-out move the phase.
  const [appliedGeneration, setAppliedGeneration] = useState(-1);
  if (start.kind !== 'loading' && appliedGeneration !== generation) {
    setAppliedGeneration(generation);
    setPhase(start.kind === 'signedOut' && generation > 0 ? { ...start, previousUser: lastUser } : start);
  }
  const phaseUser = phase.kind === 'session' ? phase.session.user.username : null;
  if (phaseUser !== null && phaseUser !== lastUser) setLastUser(phaseUser);

  // The interface language follows the signed-in user; before sign-in, the seat's choice.
  const phaseLanguage = phase.kind === 'session' ? phase.session.user.language : null;
  useEffect(() => {
    applyLanguage(phaseLanguage ?? preSignInLanguage());
  }, [phaseLanguage, phase.kind]);

  const showSession = useCallback((session: SessionView) => {
    setPhase({ kind: 'session', session });
  }, []);

  const signedOut = useCallback((notice: 'setupDone' | 'reconnected' | null) => {
    setPhase({ kind: 'signedOut', notice });
  }, []);

  useEffect(
    () =>
      api.onSessionSignal((signal) => {
        // An end heard while already signed out (a call of the lost session answered after the
        // reconnect) keeps the sign-in screen as it is, with its "sign in again" and the name.
        if (signal === 'ended') setPhase((p) => (p.kind === 'signedOut' ? p : { kind: 'signedOut', notice: null }));
        else setPhase((p) => (p.kind === 'session' && !p.session.locked ? { kind: 'session', session: { ...p.session, locked: true } } : p));
      }),
    [api, signedOut],
  );

  const session = phase.kind === 'session' ? phase.session : null;
  const onLocked = useCallback(() => {
    setPhase((p) => (p.kind === 'session' ? { kind: 'session', session: { ...p.session, locked: true } } : p));
  }, []);
  useIdleActivity(session !== null && !session.locked, onLocked);

  const signOut = useCallback(async () => {
    // Leave the session's screens first: the wall's players stop (hls.js aborts its requests)
    // before the session and its media tokens end, so no request in flight meets a 403.
    setPhase({ kind: 'loading' });
    await new Promise((r) => setTimeout(r, 0));
    await api.call('auth.signOut', {});
    // Signed out by hand: the next sign-in starts from the saved wall, not the one kept for a reconnect.
    forgetWalls();
    setLastUser(null);
    signedOut(null);
  }, [api, signedOut]);

  // While the engine is lost every screen stays as it was under the banner (the wall's tiles say it
  // too); after the reconnect the engine says whether the session is still there.
  const shown: Phase = phase;
  let content;
  switch (shown.kind) {
    case 'loading':
      content = <LoadingScreen text={t('app.loading')} />;
      break;
    case 'setup':
      content = <SetupScreen onDone={() => signedOut('setupDone')} />;
      break;
    case 'signedOut':
      content = (
        <>
          {/* Keyed by who is asked back: the name is filled in when the screen is made. */}
          <SignInScreen key={shown.previousUser ?? ''} notice={shown.notice} previousUser={shown.previousUser ?? null} onSignedIn={showSession} />
          <ChangeConnectionLink />
        </>
      );
      break;
    case 'session': {
      const s = shown.session;
      // Order matters: a locked console shows nothing else (the shell is unmounted, not hidden).
      if (s.locked) content = <LockScreen session={s} onUnlocked={showSession} onSignOut={signOut} />;
      else if (s.mustChangePassword) content = <ChangePasswordScreen session={s} onChanged={showSession} onSignOut={signOut} />;
      else if (s.commitmentPending) content = <CommitmentScreen session={s} onAccepted={showSession} onSignOut={signOut} />;
      else content = <Shell session={s} onSessionChange={showSession} onLocked={onLocked} onSignOut={signOut} />;
      break;
    }
  }

  return (
    <>
      <ConnectionBanner info={connectionInfo} mode={api.mode} seatKeyMissing={api.seatKeyMissing} onRetry={() => api.retryNow()} />
      {connection === 'refused' && connectionInfo.refusal ? <EnrolScreen refusal={connectionInfo.refusal} onEnrolled={() => api.retryNow()} /> : content}
    </>
  );
}
