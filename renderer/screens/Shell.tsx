// The signed-in console: navigation shows only the sections the role may use (docs/design/overview.md §6); the core
// still checks every call (R5). Users with storage.view also get the storage page and a red banner
// while a critical storage alarm is open; everyone gets the strip of open event alarms their role
// sees, and while the engine is held by an audit anchor alarm, the held screen instead of the pages.
import { useCallback, useEffect, useState } from 'react';
import { ActionIcon, AppShell, Badge, Box, Button, Center, Divider, Group, Loader, NavLink, Stack, Text, Tooltip } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { AlarmView, SessionView, StorageView } from '../../shared/contract';
import type { Language } from '../../shared/i18n-languages';
import { SECTIONS } from '../../shared/roles';
import { AlarmStrip } from '../alarms/AlarmStrip';
import { ALARM_POLL_MS, openAnchorAlarm, stripAlarms } from '../alarms/alarm-model';
import { HeldBar, HeldScreen } from '../alarms/HeldScreen';
import { useEngineHold } from '../alarms/use-engine-hold';
import { useApi } from '../api/api-context';
import { isHeldRefusal } from '../i18n/error-text';
import { LanguagePicker } from '../components/LanguagePicker';
import { ProductMark } from '../components/ProductMark';
import { SectionIcon, type NavId } from '../components/SectionIcon';
import { AccessReviewScreen } from '../access-review/AccessReviewScreen';
import { AccessScreen } from '../access/AccessScreen';
import { ParkedNotice } from '../access/ParkedNotice';
import { BreachesScreen } from '../breaches/BreachesScreen';
import { SubjectRequestsScreen } from '../subject-requests/SubjectRequestsScreen';
import { ReportBreachButton } from '../breaches/ReportBreachButton';
import { HoldsScreen } from '../holds/HoldsScreen';
import { ExportsScreen } from '../exports/ExportsScreen';
import { IncidentsScreen } from '../incidents/IncidentsScreen';
import { ShortcutSheet } from '../components/ShortcutSheet';
import { onPlaybackRequested } from '../playback/look-back';
import { LiveScreen } from '../live/LiveScreen';
import { PlaybackScreen } from '../playback/PlaybackScreen';
import { StorageAlarmBanner } from '../storage/StorageAlarmBanner';
import { StorageScreen } from '../storage/StorageScreen';
import { STORAGE_POLL_MS, activeCriticalAlarms } from '../storage/storage-model';
import { useCommand } from '../kit/use-command';
import { useReloadOn } from '../kit/use-engine-events';
import { AdminScreen, type AdminTab } from './AdminScreen';
import { AuditScreen } from './AuditScreen';

const ALARM_EVENTS = ['alarm.raised', 'alarm.cleared', 'alarm.acknowledged'] as const;

const NAV_TEST_IDS: Record<NavId, string> = {
  live: 'nav-live',
  playback: 'nav-playback',
  incidents: 'nav-incidents',
  holds: 'nav-holds',
  exports: 'nav-exports',
  audit: 'nav-audit',
  admin: 'nav-admin',
  storage: 'nav-storage',
  breaches: 'nav-breaches',
  subjects: 'nav-subjects',
  access: 'nav-access',
  accessReview: 'nav-access-review',
};

/**
 * The shared sections plus Storage for users with storage.view whom Administration does not
 * already give it (supervisors). Renderer-side until shared/roles.ts grows a 'storage' section.
 */
export function navItemsFor(session: SessionView): NavId[] {
  // By the session's permissions, not its role: a parked account (its grant waits for a second
  // person, docs/design/authorised-persons.md) holds none and is shown no section.
  const sections: NavId[] = SECTIONS.filter((s) => session.permissions.includes(s.permission)).map((s) => s.id);
  if (session.permissions.includes('storage.view') && !sections.includes('admin')) sections.push('storage');
  return sections;
}

/** Where a role lands: the live wall for operators, administration for administrators, else the first section. */
function defaultSection(sections: readonly NavId[]): NavId | null {
  if (sections.includes('live')) return 'live';
  if (sections.includes('admin')) return 'admin';
  return sections[0] ?? null;
}

export function Shell({
  session,
  onSessionChange,
  onLocked,
  onSignOut,
}: {
  session: SessionView;
  onSessionChange: (session: SessionView) => void;
  onLocked: () => void;
  onSignOut: () => Promise<void>;
}) {
  const api = useApi();
  const { t } = useTranslation();
  const sections = navItemsFor(session);
  const [chosen, setChosen] = useState<NavId | null>(null);
  // "Replay" on a live tile, "play" on an incident: to Playback, which takes the intent.
  useEffect(() => onPlaybackRequested(() => setChosen('playback')), []);
  // The menu folds to its icons; folded at first for a user with one section (a guard's wall then
  // gets the screen), and as each user left it on this seat afterwards.
  const [navFolded, setNavFolded] = useState(() => folded(session.user.username, sections.length <= 1));
  const toggleNav = () => {
    setNavFolded((f) => {
      rememberFolded(session.user.username, !f);
      return !f;
    });
  };
  const [adminTab, setAdminTab] = useState<AdminTab>('users');
  // While held only the audit log answers (for those who may read it); until the first answer
  // about the hold, no page is shown, so none asks what the gate would refuse.
  const hold = useEngineHold();
  const held = hold.held;
  const section: NavId | null = !hold.known
    ? null
    : held
      ? chosen === 'audit' && sections.includes('audit')
        ? 'audit'
        : null
      : chosen !== null && sections.includes(chosen)
        ? chosen
        : defaultSection(sections);
  // Read once at start; then alarm events (and a reconnect) say when to read again. Only a
  // transport without events polls.
  const alarms = useCommand('alarms.list', { openOnly: true }, [], api.hasEvents ? {} : { pollMs: ALARM_POLL_MS });
  const { setValue: setAlarms, reload: reloadAlarms } = alarms;
  useReloadOn(ALARM_EVENTS, reloadAlarms);
  const { recheck } = hold;
  const onAcknowledged = useCallback(
    (closed: AlarmView) => {
      setAlarms((v) => v && { alarms: v.alarms.filter((a) => a.id !== closed.id) });
      reloadAlarms();
      if (closed.kind === 'audit.anchor') recheck();
    },
    [setAlarms, reloadAlarms, recheck],
  );
  const openAlarms = alarms.value?.alarms ?? [];
  const storageWatch = session.permissions.includes('storage.view') && hold.known && !held;
  // Critical storage alarms must be seen wherever the user is: polled for those who may act on them,
  // and taken from the storage page whenever it reads the figures itself.
  const storage = useCommand('storage.status', storageWatch ? {} : null, [storageWatch], { pollMs: STORAGE_POLL_MS });
  const { setValue: setStorage, reload: reloadStorage } = storage;
  // A storage condition raised or cleared reaches the banner at once, not at the next poll.
  useReloadOn(ALARM_EVENTS, reloadStorage, () => storageWatch);
  const onStorageView = useCallback((view: StorageView) => setStorage(() => view), [setStorage]);
  const critical = activeCriticalAlarms(storage.value);
  const openStorage = sections.includes('storage')
    ? () => setChosen('storage')
    : sections.includes('admin')
      ? () => {
          setChosen('admin');
          setAdminTab('storage');
        }
      : null;

  const lock = async () => {
    const result = await api.call('session.lock', {});
    if (result.ok) onLocked();
  };

  const setLanguage = async (language: Language) => {
    const result = await api.call('me.setLanguage', { language });
    if (result.ok) onSessionChange(result.value);
    // A held engine does not save it: the choice holds in this console until sign-out, so the held
    // screen can still be read in the language the user reads.
    else if (isHeldRefusal(result.error)) onSessionChange({ ...session, user: { ...session.user, language } });
  };

  return (
    <AppShell header={{ height: 44 }} navbar={{ width: navFolded ? NAV_FOLDED_W : 220, breakpoint: 0 }} padding={0}>
      <AppShell.Header bg="dark.8" style={{ borderBottomColor: 'var(--mantine-color-dark-5)' }}>
        <Group h="100%" px="sm" justify="space-between" wrap="nowrap">
          <Group gap="xs" wrap="nowrap">
            <ProductMark size={24} />
            <Text fw={700} size="md">
              {t('app.title')}
            </Text>
            <Divider orientation="vertical" mx={4} />
            <Text size="xs" c="dimmed">
              {section ? t(`shell.nav.${section}`) : held ? t('alarms.held.otherTitle') : ''}
            </Text>
          </Group>
          <Group gap="sm" wrap="nowrap">
            <Group gap={6} wrap="nowrap" data-testid="header-user">
              <Text size="sm" fw={600} data-testid="header-displayname">
                {session.user.displayName}
              </Text>
              <Badge variant="outline" color="gray" data-testid="header-role">
                {t(`roles.${session.user.role}`)}
              </Badge>
            </Group>
            {/* Anyone signed in reports a suspected breach from anywhere (JON 21). */}
            {!held && <ReportBreachButton session={session} />}
            <LanguagePicker testId="header-language" value={session.user.language} onChange={(l) => void setLanguage(l)} />
            <Button variant="default" data-testid="lock-button" onClick={() => void lock()}>
              {t('shell.lock')}
            </Button>
            <Button variant="subtle" color="gray" data-testid="signout-button" onClick={() => void onSignOut()}>
              {t('shell.signOut')}
            </Button>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar bg="dark.8" p={6} style={{ borderRightColor: 'var(--mantine-color-dark-5)' }} data-testid="nav" data-folded={String(navFolded)}>
        <Stack gap={2} style={{ flex: 1 }}>
          {sections.map((id) => (
            <Tooltip key={id} label={t(`shell.nav.${id}`)} position="right" disabled={!navFolded} withinPortal>
              <NavLink
                data-testid={NAV_TEST_IDS[id]}
                label={navFolded ? null : t(`shell.nav.${id}`)}
                aria-label={t(`shell.nav.${id}`)}
                leftSection={<SectionIcon section={id} />}
                active={id === section}
                disabled={held && id !== 'audit'}
                onClick={() => setChosen(id)}
                variant="filled"
                py={6}
                styles={{ label: { fontSize: 13 } }}
              />
            </Tooltip>
          ))}
        </Stack>
        <Tooltip label={navFolded ? t('shell.unfoldMenu') : t('shell.foldMenu')} position="right" withinPortal>
          <ActionIcon variant="subtle" color="gray" data-testid="menu-fold" aria-label={navFolded ? t('shell.unfoldMenu') : t('shell.foldMenu')} aria-expanded={!navFolded} onClick={toggleNav}>
            {navFolded ? '»' : '«'}
          </ActionIcon>
        </Tooltip>
      </AppShell.Navbar>
      <ShortcutSheet />
      <AppShell.Main bg="dark.9">
        <Stack gap={0} h="calc(100vh - 44px)">
        <StorageAlarmBanner alarms={critical} onOpen={openStorage} />
        <AlarmStrip alarms={stripAlarms(openAlarms, held)} viewer={session.user.username} onAcknowledged={onAcknowledged} />
        {held && section === 'audit' && <HeldBar onShow={() => setChosen(null)} />}
        <Box p="sm" style={{ flex: 1, minHeight: 0, overflowY: held && section === null ? 'auto' : undefined }} data-testid={section ? `page-${section}` : held ? 'page-held' : 'page-none'}>
          {!hold.known && (
            <Center h="100%">
              <Loader size="sm" />
            </Center>
          )}
          {held && section === null && (
            <HeldScreen
              alarm={openAnchorAlarm(openAlarms)}
              viewer={session.user.username}
              onAcknowledged={onAcknowledged}
              onOpenAudit={sections.includes('audit') ? () => setChosen('audit') : null}
            />
          )}
          {hold.known && !held && section === null && session.accessState !== 'granted' && <ParkedNotice state={session.accessState} />}
          {hold.known && !held && section === null && session.accessState === 'granted' && (
            <Text size="sm" c="dimmed">
              {t('shell.noSections')}
            </Text>
          )}
          {section === 'audit' && <AuditScreen session={session} />}
          {section === 'admin' && <AdminScreen session={session} tab={adminTab} onTabChange={setAdminTab} onStorageView={onStorageView} />}
          {section === 'live' && <LiveScreen username={session.user.username} />}
          {section === 'holds' && <HoldsScreen session={session} />}
          {section === 'storage' && <StorageScreen session={session} onStorageView={onStorageView} withNodes />}
          {section === 'playback' && <PlaybackScreen session={session} />}
          {section === 'incidents' && <IncidentsScreen session={session} />}
          {section === 'exports' && <ExportsScreen session={session} />}
          {section === 'breaches' && <BreachesScreen session={session} />}
          {section === 'subjects' && <SubjectRequestsScreen session={session} />}
          {section === 'access' && <AccessScreen />}
          {section === 'accessReview' && <AccessReviewScreen />}
        </Box>
        </Stack>
      </AppShell.Main>
    </AppShell>
  );
}

const NAV_FOLDED_W = 52;
const navKey = (username: string) => `oc.navFolded.${username}`;

/** Whether this user left the menu folded on this seat (a seat setting, not the user's record). */
function folded(username: string, byDefault: boolean): boolean {
  try {
    const v = window.localStorage.getItem(navKey(username));
    return v === null ? byDefault : v === '1';
  } catch {
    return byDefault;
  }
}

function rememberFolded(username: string, value: boolean): void {
  try {
    window.localStorage.setItem(navKey(username), value ? '1' : '0');
  } catch {
    // a seat without storage folds by default each time
  }
}
