// Cameras (issue 3 §1-2): purpose, area type and retention per camera (KRK §6.1, BRN/JON/ELB
// presets), sources added by discovery, ONVIF address or RTSP URL. Camera passwords are write-only:
// the engine keeps them in the system keychain and the console only says whether one is stored.
import { useEffect, useMemo, useState, type FormEvent } from 'react';
import {
  Alert,
  Badge,
  Button,
  Checkbox,
  Group,
  Menu,
  Modal,
  NumberInput,
  PasswordInput,
  ScrollArea,
  Select,
  Stack,
  Table,
  Tabs,
  Text,
  TextInput,
  Textarea,
} from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { AREA_TYPES, AREA_TYPE_IDS, type AreaType, type TileState } from '../../shared/cameras';
import type { CameraAdminView, GroupView, RequestOf } from '../../shared/contract';
import type { CommandError } from '../../shared/result';
import { useApi } from '../api/api-context';
import { ErrorAlert } from '../components/ErrorAlert';
import { StateDot } from '../live/LiveTile';

type Dialog = { kind: 'add' } | { kind: 'edit'; camera: CameraAdminView } | { kind: 'enable'; camera: CameraAdminView } | null;

type Profile = { token: string; name: string; encoding: string; width: number; height: number; rtspUrl: string | null };
type Discovered = { xaddr: string; name: string; hardware: string; alreadyAdded: boolean };
type SourceMode = 'discover' | 'onvif' | 'rtsp';

const isAreaType = (v: unknown): v is AreaType => typeof v === 'string' && (AREA_TYPE_IDS as readonly string[]).includes(v);
const MIN_REASON_LENGTH = 5;

export function CamerasTab() {
  const api = useApi();
  const { t } = useTranslation();
  const [cameras, setCameras] = useState<CameraAdminView[] | null>(null);
  const [groups, setGroups] = useState<GroupView[]>([]);
  const [error, setError] = useState<CommandError | null>(null);
  const [dialog, setDialog] = useState<Dialog>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [reloadKey, setReloadKey] = useState(0);

  useEffect(() => {
    let cancelled = false;
    void Promise.all([api.call('cameras.adminList', {}), api.call('groups.list', {})]).then(([c, g]) => {
      if (cancelled) return;
      if (c.ok) {
        setCameras(c.value.cameras);
        setError(null);
      } else setError(c.error);
      if (g.ok) setGroups(g.value.groups);
    });
    return () => {
      cancelled = true;
    };
  }, [api, reloadKey]);

  // States change on their own (a camera goes offline): refresh the table every 5 s while it is shown.
  useEffect(() => {
    const timer = setInterval(() => setReloadKey((k) => k + 1), 5000);
    return () => clearInterval(timer);
  }, []);

  const done = (message: string) => {
    setDialog(null);
    setNotice(message);
    setReloadKey((k) => k + 1);
  };

  return (
    <Stack gap="xs" h="100%" data-testid="cameras-tab">
      <Group justify="space-between">
        <Text size="xs" c="dimmed" data-testid="cameras-count">
          {cameras ? t('admin.cameras.count', { count: cameras.length }) : ''}
        </Text>
        <Button data-testid="cameras-add" onClick={() => setDialog({ kind: 'add' })} disabled={groups.length === 0 && cameras !== null}>
          {t('admin.cameras.add')}
        </Button>
      </Group>
      {cameras !== null && groups.length === 0 && (
        <Text size="xs" c="yellow.4" data-testid="cameras-no-groups">
          {t('admin.cameras.noGroups')}
        </Text>
      )}
      {notice && (
        <Text size="xs" c="green.4" data-testid="cameras-notice">
          {notice}
        </Text>
      )}
      <ErrorAlert error={error} testId="cameras-error" />
      <ScrollArea className="oc-table-wrap" style={{ flex: 1, minHeight: 0 }} type="auto">
        <Table stickyHeader striped highlightOnHover data-testid="cameras-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('admin.cameras.columns.name')}</Table.Th>
              <Table.Th>{t('admin.cameras.columns.site')}</Table.Th>
              <Table.Th>{t('admin.cameras.columns.group')}</Table.Th>
              <Table.Th>{t('admin.cameras.columns.area')}</Table.Th>
              <Table.Th>{t('admin.cameras.columns.source')}</Table.Th>
              <Table.Th>{t('admin.cameras.columns.urls')}</Table.Th>
              <Table.Th>{t('admin.cameras.columns.username')}</Table.Th>
              <Table.Th>{t('admin.cameras.columns.password')}</Table.Th>
              <Table.Th>{t('admin.cameras.columns.state')}</Table.Th>
              <Table.Th>{t('admin.cameras.columns.enabled')}</Table.Th>
              <Table.Th w={90}>{t('common.actions')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {cameras?.length === 0 && (
              <Table.Tr>
                <Table.Td colSpan={11}>
                  <Text size="xs" c="dimmed" ta="center" py="md">
                    {t('admin.cameras.empty')}
                  </Text>
                </Table.Td>
              </Table.Tr>
            )}
            {cameras?.map((c) => (
              <Table.Tr key={c.id} data-testid="camera-row" data-camera-id={c.id} data-name={c.name} data-enabled={String(c.enabled)} style={c.enabled ? undefined : { opacity: 0.6 }}>
                <Table.Td fw={600}>{c.name}</Table.Td>
                <Table.Td>{c.site}</Table.Td>
                <Table.Td>{c.groupName}</Table.Td>
                <Table.Td className="oc-nowrap">
                  {isAreaType(c.areaType) ? t(`admin.cameras.area.${c.areaType}`) : c.areaType}
                  <Text span size="xs" c="dimmed" ml={6} data-testid="camera-retention">
                    {t('admin.cameras.days', { count: c.retentionDays })}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Badge variant="outline" color="gray" data-testid="camera-source-kind" style={{ minWidth: 'max-content' }}>
                    {c.source.kind === 'onvif' ? 'ONVIF' : 'RTSP'}
                  </Badge>
                </Table.Td>
                <Table.Td className="oc-mono" data-testid="camera-urls" style={{ maxWidth: 320 }}>
                  {c.source.mainUrl}
                  {c.source.subUrl ? `\n${c.source.subUrl}` : ''}
                </Table.Td>
                <Table.Td ff="monospace">{c.username ?? t('common.none')}</Table.Td>
                <Table.Td data-testid="camera-password">{c.hasPassword ? t('admin.cameras.passwordStored') : t('common.none')}</Table.Td>
                <Table.Td className="oc-nowrap" data-testid="camera-state" data-state={c.main.state} title={c.main.detail ?? undefined}>
                  <Group gap={4} wrap="nowrap">
                    <StateDot state={c.main.state as TileState} />
                    {t(`live.state.${c.main.state}`)}
                    {c.main.transcoding && (
                      <Badge size="xs" color="orange" variant="light">
                        {t('live.transcodingBadge')}
                      </Badge>
                    )}
                  </Group>
                </Table.Td>
                <Table.Td>
                  <Badge variant="dot" color={c.enabled ? 'green' : 'gray'} data-testid="camera-enabled" style={{ minWidth: 'max-content' }}>
                    {t(c.enabled ? 'admin.cameras.enabled' : 'admin.cameras.disabled')}
                  </Badge>
                </Table.Td>
                <Table.Td>
                  <Menu position="bottom-end" withinPortal>
                    <Menu.Target>
                      <Button variant="default" size="compact-xs" data-testid="camera-actions">
                        {t('common.actions')} ▾
                      </Button>
                    </Menu.Target>
                    <Menu.Dropdown>
                      <Menu.Item data-testid="camera-action-edit" onClick={() => setDialog({ kind: 'edit', camera: c })}>
                        {t('admin.cameras.edit')}
                      </Menu.Item>
                      <Menu.Item data-testid="camera-action-enable" color={c.enabled ? 'red' : undefined} onClick={() => setDialog({ kind: 'enable', camera: c })}>
                        {t(c.enabled ? 'admin.cameras.disable' : 'admin.cameras.enable')}
                      </Menu.Item>
                    </Menu.Dropdown>
                  </Menu>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </ScrollArea>
      {(dialog?.kind === 'add' || dialog?.kind === 'edit') && (
        <CameraFormModal
          camera={dialog.kind === 'edit' ? dialog.camera : null}
          groups={groups}
          onClose={() => setDialog(null)}
          onDone={(c) => done(t(dialog.kind === 'add' ? 'admin.cameras.added' : 'admin.cameras.updated', { name: c.name }))}
        />
      )}
      {dialog?.kind === 'enable' && <EnableModal camera={dialog.camera} onClose={() => setDialog(null)} onDone={() => done(t('common.saved'))} />}
    </Stack>
  );
}

function profileLabel(p: Profile): string {
  const size = p.width && p.height ? `${p.width}×${p.height}` : '?';
  return `${p.name || p.token} — ${size} ${p.encoding}`.trim();
}

function CameraFormModal({ camera, groups, onClose, onDone }: { camera: CameraAdminView | null; groups: GroupView[]; onClose: () => void; onDone: (c: CameraAdminView) => void }) {
  const api = useApi();
  const { t } = useTranslation();
  const editing = camera !== null;
  const [mode, setMode] = useState<SourceMode>(camera ? camera.source.kind : 'discover');
  // Source
  const [xaddr, setXaddr] = useState(camera?.source.xaddr ?? '');
  const [mainUrl, setMainUrl] = useState(camera?.source.kind === 'rtsp' ? camera.source.mainUrl : '');
  const [subUrl, setSubUrl] = useState(camera?.source.kind === 'rtsp' ? (camera.source.subUrl ?? '') : '');
  const [username, setUsername] = useState(camera?.username ?? '');
  const [password, setPassword] = useState('');
  const [profiles, setProfiles] = useState<Profile[] | null>(null);
  const [device, setDevice] = useState<string | null>(null);
  const [mainProfile, setMainProfile] = useState<string | null>(camera?.source.mainProfile ?? null);
  const [subProfile, setSubProfile] = useState<string | null>(camera?.source.subProfile ?? null);
  const [probing, setProbing] = useState(false);
  const [probeError, setProbeError] = useState<CommandError | null>(null);
  const [discovered, setDiscovered] = useState<Discovered[] | null>(null);
  const [discovering, setDiscovering] = useState(false);
  const [discoverError, setDiscoverError] = useState<CommandError | null>(null);
  // Settings
  const [name, setName] = useState(camera?.name ?? '');
  const [site, setSite] = useState(camera?.site ?? '');
  const [groupId, setGroupId] = useState<string | null>(camera ? String(camera.groupId) : groups.length === 1 ? String(groups[0]?.id) : null);
  const [purpose, setPurpose] = useState(camera?.purpose ?? '');
  const [areaType, setAreaType] = useState<AreaType>(camera && isAreaType(camera.areaType) ? camera.areaType : 'office');
  const [retentionDays, setRetentionDays] = useState<number>(camera?.retentionDays ?? AREA_TYPES.office.retentionDays);
  const [retentionReason, setRetentionReason] = useState(camera?.retentionReason ?? '');
  const [location, setLocation] = useState(camera?.location ?? '');
  const [locationConfidential, setLocationConfidential] = useState(camera?.locationConfidential ?? false);
  const [error, setError] = useState<CommandError | null>(null);
  const [busy, setBusy] = useState(false);

  const preset = AREA_TYPES[areaType];
  const aboveBy = retentionDays - preset.retentionDays;
  const needsReason = aboveBy > 0;

  const areaOptions = AREA_TYPE_IDS.map((a) => ({ value: a, label: `${t(`admin.cameras.area.${a}`)} (${t('admin.cameras.days', { count: AREA_TYPES[a].retentionDays })})` }));
  const groupOptions = groups.map((g) => ({ value: String(g.id), label: g.name }));
  const profileOptions = useMemo(() => {
    if (profiles) return profiles.filter((p) => p.rtspUrl).map((p) => ({ value: p.token, label: profileLabel(p) }));
    // Editing before the profiles are read again: offer the stored tokens.
    return [mainProfile, subProfile].filter((p): p is string => !!p).map((p) => ({ value: p, label: p }));
  }, [profiles, mainProfile, subProfile]);

  const discover = async () => {
    setDiscovering(true);
    setDiscoverError(null);
    const r = await api.call('cameras.discover', {});
    setDiscovering(false);
    if (r.ok) setDiscovered(r.value.devices);
    else setDiscoverError(r.error);
  };

  const probe = async () => {
    setProbing(true);
    setProbeError(null);
    const r = await api.call('cameras.probe', { xaddr, username, password });
    setProbing(false);
    if (!r.ok) {
      setProbeError(r.error);
      setProfiles(null);
      return;
    }
    const usable = r.value.profiles.filter((p) => p.rtspUrl);
    setProfiles(r.value.profiles);
    setDevice([r.value.manufacturer, r.value.model].filter(Boolean).join(' '));
    // Largest picture for recording and full screen, smallest for the wall.
    const bySize = [...usable].sort((a, b) => b.width * b.height - a.width * a.height);
    setMainProfile((cur) => (cur && usable.some((p) => p.token === cur) ? cur : (bySize[0]?.token ?? null)));
    setSubProfile((cur) => (cur && usable.some((p) => p.token === cur) ? cur : bySize.length > 1 ? (bySize.at(-1)?.token ?? null) : null));
    if (!name && r.value.model) setName(r.value.model);
  };

  const changeArea = (v: string | null) => {
    if (!isAreaType(v)) return;
    setAreaType(v);
    setRetentionDays(AREA_TYPES[v].retentionDays);
  };

  const sourceReady = mode === 'rtsp' ? mainUrl.trim() !== '' : mode === 'onvif' ? xaddr.trim() !== '' && mainProfile !== null : false;
  const reasonOk = !needsReason || retentionReason.trim().length >= MIN_REASON_LENGTH;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!sourceReady || groupId === null) return;
    const source: RequestOf<'cameras.add'>['source'] =
      mode === 'onvif'
        ? { kind: 'onvif', xaddr, mainProfile: mainProfile ?? '', subProfile: subProfile && subProfile !== mainProfile ? subProfile : null }
        : { kind: 'rtsp', mainUrl, subUrl: subUrl.trim() ? subUrl : null };
    const settings = {
      name,
      site,
      groupId: Number(groupId),
      purpose,
      areaType,
      retentionDays,
      retentionReason: needsReason ? retentionReason : null,
      location,
      locationConfidential,
    };
    setBusy(true);
    const r = camera
      ? await api.call('cameras.update', { cameraId: camera.id, settings, source, username: username.trim() ? username : null, password: password === '' ? null : password })
      : await api.call('cameras.add', { settings, source, username: username.trim() ? username : null, password: password === '' ? null : password });
    setBusy(false);
    if (r.ok) onDone(r.value);
    else setError(r.error);
  };

  const credentials = (
    <Group grow align="flex-start">
      <TextInput data-testid="camera-form-username" label={t('admin.cameras.form.username')} value={username} onChange={(e) => setUsername(e.currentTarget.value)} autoComplete="off" />
      <PasswordInput
        data-testid="camera-form-password"
        label={t('admin.cameras.form.password')}
        description={editing && camera?.hasPassword ? t('admin.cameras.form.passwordKeep') : undefined}
        placeholder={editing && camera?.hasPassword ? t('admin.cameras.passwordStored') : undefined}
        value={password}
        onChange={(e) => setPassword(e.currentTarget.value)}
        autoComplete="new-password"
      />
    </Group>
  );

  return (
    <Modal opened onClose={onClose} title={camera ? t('admin.cameras.editTitle', { name: camera.name }) : t('admin.cameras.addTitle')} size="xl">
      <form onSubmit={(e) => void submit(e)} noValidate data-testid="camera-form">
        <Stack gap="sm">
          <Text size="xs" fw={700} className="oc-nav-label">
            {t('admin.cameras.form.sourceTitle')}
          </Text>
          <Tabs value={mode} onChange={(v) => (v === 'discover' || v === 'onvif' || v === 'rtsp') && setMode(v)} variant="pills" keepMounted={false}>
            <Tabs.List mb="xs">
              {!editing && (
                <Tabs.Tab value="discover" data-testid="camera-mode-discover">
                  {t('admin.cameras.form.modeDiscover')}
                </Tabs.Tab>
              )}
              <Tabs.Tab value="onvif" data-testid="camera-mode-onvif">
                {t('admin.cameras.form.modeOnvif')}
              </Tabs.Tab>
              <Tabs.Tab value="rtsp" data-testid="camera-mode-rtsp">
                {t('admin.cameras.form.modeRtsp')}
              </Tabs.Tab>
            </Tabs.List>
            <Tabs.Panel value="discover">
              <Stack gap="xs">
                <Text size="xs" c="dimmed">
                  {t('admin.cameras.form.discoverIntro')}
                </Text>
                <Group>
                  <Button variant="default" loading={discovering} onClick={() => void discover()} data-testid="camera-discover">
                    {t('admin.cameras.form.discover')}
                  </Button>
                </Group>
                <ErrorAlert error={discoverError} context="camera" testId="camera-discover-error" />
                {discovered && discovered.length === 0 && (
                  <Text size="xs" c="dimmed" data-testid="camera-discover-none">
                    {t('admin.cameras.form.discoverNone')}
                  </Text>
                )}
                {discovered && discovered.length > 0 && (
                  <Table data-testid="camera-discover-list" withTableBorder>
                    <Table.Tbody>
                      {discovered.map((d) => (
                        <Table.Tr key={d.xaddr} data-testid="discover-device" data-xaddr={d.xaddr}>
                          <Table.Td fw={600}>{d.name || t('common.none')}</Table.Td>
                          <Table.Td>{d.hardware}</Table.Td>
                          <Table.Td className="oc-mono">{d.xaddr}</Table.Td>
                          <Table.Td w={150}>
                            {d.alreadyAdded ? (
                              <Badge color="gray" variant="light">
                                {t('admin.cameras.form.alreadyAdded')}
                              </Badge>
                            ) : (
                              <Button
                                size="compact-xs"
                                data-testid="discover-use"
                                onClick={() => {
                                  setXaddr(d.xaddr);
                                  if (!name && d.name) setName(d.name);
                                  setProfiles(null);
                                  setMode('onvif');
                                }}
                              >
                                {t('admin.cameras.form.use')}
                              </Button>
                            )}
                          </Table.Td>
                        </Table.Tr>
                      ))}
                    </Table.Tbody>
                  </Table>
                )}
              </Stack>
            </Tabs.Panel>
            <Tabs.Panel value="onvif">
              <Stack gap="xs">
                <TextInput
                  data-testid="camera-form-xaddr"
                  label={t('admin.cameras.form.xaddr')}
                  description={t('admin.cameras.form.xaddrHint')}
                  placeholder="http://192.0.2.10/onvif/device_service"
                  value={xaddr}
                  onChange={(e) => setXaddr(e.currentTarget.value)}
                />
                {credentials}
                <Group>
                  <Button variant="default" loading={probing} disabled={!xaddr.trim()} onClick={() => void probe()} data-testid="camera-form-probe">
                    {t('admin.cameras.form.probe')}
                  </Button>
                  {device !== null && (
                    <Text size="xs" c="dimmed" data-testid="camera-form-device">
                      {t('admin.cameras.form.device', { device: device || '—', count: profiles?.length ?? 0 })}
                    </Text>
                  )}
                </Group>
                <ErrorAlert error={probeError} context="camera" testId="camera-probe-error" />
                {profileOptions.length > 0 && (
                  <Group grow align="flex-start">
                    <Select data-testid="camera-form-main-profile" label={t('admin.cameras.form.mainProfile')} description={t('admin.cameras.form.mainProfileHint')} data={profileOptions} value={mainProfile} onChange={setMainProfile} />
                    <Select
                      data-testid="camera-form-sub-profile"
                      label={t('admin.cameras.form.subProfile')}
                      description={t('admin.cameras.form.subProfileHint')}
                      data={[{ value: '', label: t('admin.cameras.form.noSubStream') }, ...profileOptions]}
                      value={subProfile ?? ''}
                      onChange={(v) => setSubProfile(v ? v : null)}
                    />
                  </Group>
                )}
              </Stack>
            </Tabs.Panel>
            <Tabs.Panel value="rtsp">
              <Stack gap="xs">
                <TextInput
                  data-testid="camera-form-main-url"
                  label={t('admin.cameras.form.mainUrl')}
                  description={t('admin.cameras.form.mainUrlHint')}
                  placeholder="rtsp://192.0.2.10:554/stream1"
                  value={mainUrl}
                  onChange={(e) => setMainUrl(e.currentTarget.value)}
                />
                <TextInput
                  data-testid="camera-form-sub-url"
                  label={t('admin.cameras.form.subUrl')}
                  description={t('admin.cameras.form.subUrlHint')}
                  placeholder="rtsp://192.0.2.10:554/stream2"
                  value={subUrl}
                  onChange={(e) => setSubUrl(e.currentTarget.value)}
                />
                {credentials}
              </Stack>
            </Tabs.Panel>
          </Tabs>

          <Text size="xs" fw={700} className="oc-nav-label" mt="xs">
            {t('admin.cameras.form.settingsTitle')}
          </Text>
          <Group grow align="flex-start">
            <TextInput data-testid="camera-form-name" label={t('admin.cameras.form.name')} value={name} onChange={(e) => setName(e.currentTarget.value)} />
            <TextInput data-testid="camera-form-site" label={t('admin.cameras.form.site')} value={site} onChange={(e) => setSite(e.currentTarget.value)} />
            <Select data-testid="camera-form-group" label={t('admin.cameras.form.group')} placeholder={t('admin.cameras.form.groupPlaceholder')} data={groupOptions} value={groupId} onChange={setGroupId} />
          </Group>
          <Textarea
            data-testid="camera-form-purpose"
            label={t('admin.cameras.form.purpose')}
            description={t('admin.cameras.form.purposeHint')}
            value={purpose}
            onChange={(e) => setPurpose(e.currentTarget.value)}
            autosize
            minRows={2}
          />
          <Group grow align="flex-start">
            <Select
              data-testid="camera-form-area"
              label={t('admin.cameras.form.area')}
              description={t('admin.cameras.form.areaPreset', { count: preset.retentionDays, clause: preset.clause })}
              data={areaOptions}
              value={areaType}
              onChange={changeArea}
            />
            <NumberInput
              data-testid="camera-form-retention"
              label={t('admin.cameras.form.retention')}
              description={needsReason ? t('admin.cameras.form.retentionAbove', { count: preset.retentionDays }) : t('admin.cameras.form.retentionHint')}
              value={retentionDays}
              min={1}
              max={3650}
              allowDecimal={false}
              onChange={(v) => setRetentionDays(typeof v === 'number' ? v : Number(v) || 1)}
            />
          </Group>
          {needsReason && (
            <Textarea
              data-testid="camera-form-retention-reason"
              label={t('admin.cameras.form.retentionReason')}
              description={t('admin.cameras.form.retentionReasonHint', { count: preset.retentionDays, clause: preset.clause })}
              value={retentionReason}
              onChange={(e) => setRetentionReason(e.currentTarget.value)}
              autosize
              minRows={2}
              error={retentionReason.trim().length > 0 && !reasonOk ? t('errors.fields.reason') : undefined}
            />
          )}
          <TextInput data-testid="camera-form-location" label={t('admin.cameras.form.location')} value={location} onChange={(e) => setLocation(e.currentTarget.value)} />
          <Checkbox
            data-testid="camera-form-confidential"
            label={t('admin.cameras.form.confidential')}
            description={t('admin.cameras.form.confidentialHint')}
            checked={locationConfidential}
            onChange={(e) => setLocationConfidential(e.currentTarget.checked)}
          />
          <Alert color="gray" py={6} data-testid="camera-form-audio-note">
            {t('admin.cameras.form.audioNote')}
          </Alert>
          <ErrorAlert error={error} context="camera" testId="camera-form-error" />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose} data-testid="camera-form-cancel">
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={busy} disabled={!sourceReady || groupId === null || !reasonOk} data-testid="camera-form-submit">
              {camera ? t('common.save') : t('admin.cameras.addSubmit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

function EnableModal({ camera, onClose, onDone }: { camera: CameraAdminView; onClose: () => void; onDone: () => void }) {
  const api = useApi();
  const { t } = useTranslation();
  const enabling = !camera.enabled;
  const [reason, setReason] = useState('');
  const [error, setError] = useState<CommandError | null>(null);
  const [busy, setBusy] = useState(false);
  const reasonOk = reason.trim().length >= MIN_REASON_LENGTH;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!reasonOk) return;
    setBusy(true);
    const r = await api.call('cameras.setEnabled', { cameraId: camera.id, enabled: enabling, reason });
    setBusy(false);
    if (r.ok) onDone();
    else setError(r.error);
  };

  return (
    <Modal opened onClose={onClose} title={t(enabling ? 'admin.cameras.enableTitle' : 'admin.cameras.disableTitle', { name: camera.name })}>
      <form onSubmit={(e) => void submit(e)} noValidate data-testid="camera-enable-form">
        <Stack gap="sm">
          <Text size="sm">{t(enabling ? 'admin.cameras.enableIntro' : 'admin.cameras.disableIntro')}</Text>
          <Textarea
            data-testid="camera-enable-reason"
            label={t('common.reason')}
            description={t('common.reasonHint')}
            value={reason}
            onChange={(e) => setReason(e.currentTarget.value)}
            autosize
            minRows={2}
            data-autofocus
          />
          <ErrorAlert error={error} context="camera" testId="camera-enable-error" />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={busy} disabled={!reasonOk} color={enabling ? undefined : 'red'} data-testid="camera-enable-submit">
              {t(enabling ? 'admin.cameras.enable' : 'admin.cameras.disable')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
