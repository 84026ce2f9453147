// Adding or editing a camera (docs/design/live-pipeline.md): a source (found by discovery, an ONVIF address read
// for its profiles, or RTSP URLs) and its settings: purpose, area type and retention (KRK §6.1,
// retention at most the area type's legal maximum, BRN 40.4, 41.4, 42.5, JON 11, ELB 1.10; footage
// needed longer goes under a legal hold). The form is checked by the
// contract's cameras.add / cameras.update request (kit/zod-form.ts); the password is write-only.
import { useEffect, useState } from 'react';
import { Alert, Badge, Button, Checkbox, Group, NumberInput, PasswordInput, Select, Stack, Table, Tabs, Text, TextInput, Textarea } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { AREA_TYPES, AREA_TYPE_IDS, isAreaType, maxRetentionDays, type AreaType } from '../../shared/cameras';
import { COMMANDS, type CameraAdminView, type GroupView, type NodesView, type RequestOf, type ResponseOf } from '../../shared/contract';
import { ErrorAlert } from '../components/ErrorAlert';
import { FormModal } from '../kit/FormModal';
import { useAction } from '../kit/use-action';
import { useContractForm } from '../kit/zod-form';
import { homeNodeChoices, siteHasNodes } from '../nodes/nodes-model';

type Profile = ResponseOf<'cameras.probe'>['profiles'][number];
type SourceMode = 'discover' | 'onvif' | 'rtsp';

export { isAreaType };

interface CameraValues extends Record<string, unknown> {
  mode: SourceMode;
  xaddr: string;
  mainProfile: string | null;
  subProfile: string | null;
  mainUrl: string;
  subUrl: string;
  username: string;
  password: string;
  name: string;
  site: string;
  groupId: string | null;
  purpose: string;
  areaType: AreaType;
  retentionDays: number | string;
  location: string;
  locationConfidential: boolean;
  maskAtSource: boolean;
  /** The node that records the camera while it is up; '' any node (docs/design/scale.md "Leases"). */
  homeNode: string;
  /** Offered only on a site of several nodes; otherwise left out of the request, so the stored one stays. */
  homeNodeOffered: boolean;
}

/**
 * What masking at the source costs, as `npm run bench:masks` measured it on the reference machine
 * (docs/benchmarks.md "Masks"): one camera's 720p main and 360p sub stream re-encoded at 25 fps took
 * 11 % of a core on the simulator's colour bars and 20 % on a noisy camera-like picture (the form
 * says the latter: real scenes are closer to it). The encoder holds one frame (40 ms at 25 fps);
 * glass to glass the difference was within the players' own spread.
 */
const MASK_AT_SOURCE_COST = { cpuPercentOfCore: 20, addedLatencyMs: 40 };


/** The request the form stands for (cameras.add; cameras.update adds the camera's id). */
function toRequest(v: CameraValues): RequestOf<'cameras.add'> {
  const source: RequestOf<'cameras.add'>['source'] =
    v.mode === 'rtsp'
      ? { kind: 'rtsp', mainUrl: v.mainUrl, subUrl: v.subUrl.trim() ? v.subUrl : null }
      : { kind: 'onvif', xaddr: v.xaddr, mainProfile: v.mainProfile ?? '', subProfile: v.subProfile && v.subProfile !== v.mainProfile ? v.subProfile : null };
  return {
    settings: {
      name: v.name,
      site: v.site,
      groupId: Number(v.groupId),
      purpose: v.purpose,
      areaType: v.areaType,
      retentionDays: Number(v.retentionDays),
      // Never required any more (retention cannot exceed the legal maximum); a reason stored with a
      // camera from before stays until the camera is saved again.
      retentionReason: null,
      location: v.location,
      locationConfidential: v.locationConfidential,
      maskAtSource: v.maskAtSource,
      ...(v.homeNodeOffered ? { homeNode: v.homeNode || null } : {}),
    },
    source,
    username: v.username.trim() ? v.username : null,
    password: v.password === '' ? null : v.password,
  };
}

/** What the contract checks: as toRequest, but a group or retention not given stays missing, so it is "required". */
function toDraft(v: CameraValues) {
  const request = toRequest(v);
  return { ...request, settings: { ...request.settings, groupId: v.groupId === null ? null : request.settings.groupId, retentionDays: typeof v.retentionDays === 'number' ? v.retentionDays : null } };
}

/** What a generic wording cannot explain: address formats. */
const MESSAGES = {
  mainUrl: 'errors.cameraFields.mainUrl',
  subUrl: 'errors.cameraFields.subUrl',
  xaddr: 'errors.cameraFields.xaddr',
  username: 'errors.cameraFields.username',
  retentionDays: 'errors.cameraFields.retentionDays',
};

function initialValues(camera: CameraAdminView | null, groups: readonly GroupView[], nodes: NodesView | null): CameraValues {
  const areaType = camera && isAreaType(camera.areaType) ? camera.areaType : 'office';
  return {
    mode: camera ? camera.source.kind : 'discover',
    xaddr: camera?.source.xaddr ?? '',
    mainProfile: camera?.source.mainProfile ?? null,
    subProfile: camera?.source.subProfile ?? null,
    mainUrl: camera?.source.kind === 'rtsp' ? camera.source.mainUrl : '',
    subUrl: camera?.source.kind === 'rtsp' ? (camera.source.subUrl ?? '') : '',
    username: camera?.username ?? '',
    password: '',
    name: camera?.name ?? '',
    site: camera?.site ?? '',
    groupId: camera ? String(camera.groupId) : groups.length === 1 ? String(groups[0]?.id) : null,
    purpose: camera?.purpose ?? '',
    areaType,
    retentionDays: camera?.retentionDays ?? AREA_TYPES[areaType].maxRetentionDays,
    location: camera?.location ?? '',
    locationConfidential: camera?.locationConfidential ?? false,
    maskAtSource: camera?.maskAtSource ?? false,
    homeNode: camera?.homeNode ?? '',
    homeNodeOffered: siteHasNodes(nodes),
  };
}

function profileLabel(p: Profile): string {
  const size = p.width && p.height ? `${p.width}×${p.height}` : '?';
  return `${p.name || p.token} — ${size} ${p.encoding}`.trim();
}

export function CameraFormModal({
  camera,
  groups,
  nodes = null,
  onClose,
  onDone,
}: {
  camera: CameraAdminView | null;
  groups: GroupView[];
  /** The site's nodes (nodes.list): with more than one, "Recorded by" is offered. */
  nodes?: NodesView | null;
  onClose: () => void;
  onDone: (c: CameraAdminView) => void;
}) {
  const { t } = useTranslation();
  const save = useAction();
  const schema = camera ? COMMANDS['cameras.update'].request : COMMANDS['cameras.add'].request;
  const form = useContractForm(initialValues(camera, groups, nodes), { schema, toRequest: (v) => (camera ? { cameraId: camera.id, ...toDraft(v) } : toDraft(v)), messages: MESSAGES });
  const v = form.values;
  // The node list may arrive after the dialog opened (or a node join the site meanwhile).
  const offerHome = siteHasNodes(nodes);
  const { setFieldValue } = form;
  useEffect(() => {
    if (offerHome) setFieldValue('homeNodeOffered', true);
  }, [offerHome, setFieldValue]);
  const homeOptions = [
    { value: '', label: t('nodes.form.anyNode') },
    ...homeNodeChoices(nodes).map((n) => ({ value: n.name, label: n.up ? n.name : t('nodes.form.down', { node: n.name }) })),
    // A home node the list no longer shows is still offered as it is stored.
    ...(v.homeNode && !homeNodeChoices(nodes).some((n) => n.name === v.homeNode) ? [{ value: v.homeNode, label: v.homeNode }] : []),
  ];
  const area = AREA_TYPES[v.areaType];
  // A camera stored before the maximum was enforced, with more: the engine applies the maximum.
  const storedAbove = camera !== null && camera.retentionDays > maxRetentionDays(camera.areaType);

  // Called only once the contract accepted the draft, so the group and retention are there.
  const submit = form.onSubmit(async (values) => {
    const request = toRequest(values);
    const saved = camera ? await save.run('cameras.update', { cameraId: camera.id, ...request }) : await save.run('cameras.add', request);
    if (saved) onDone(saved);
  });

  const areaOptions = AREA_TYPE_IDS.map((a) => ({ value: a, label: t('admin.cameras.areaOption', { area: t(`admin.cameras.area.${a}`), count: AREA_TYPES[a].maxRetentionDays, clause: AREA_TYPES[a].clause }) }));
  /** Where the camera is reached: the ONVIF service or an RTSP stream (label and hint by the field's name). */
  const addressField = (field: 'xaddr' | 'mainUrl' | 'subUrl', testId: string, example: string) => (
    <TextInput data-testid={testId} label={t(`admin.cameras.form.${field}`)} description={t(`admin.cameras.form.${field}Hint`)} placeholder={example} {...form.getInputProps(field)} />
  );
  const credentials = (
    <Group grow align="flex-start">
      <TextInput data-testid="camera-form-username" label={t('admin.cameras.form.username')} autoComplete="off" {...form.getInputProps('username')} />
      <PasswordInput
        data-testid="camera-form-password"
        label={t('admin.cameras.form.password')}
        description={camera?.hasPassword ? t('admin.cameras.form.passwordKeep') : undefined}
        placeholder={camera?.hasPassword ? t('admin.cameras.passwordStored') : undefined}
        autoComplete="new-password"
        {...form.getInputProps('password')}
      />
    </Group>
  );

  return (
    <FormModal
      title={camera ? t('admin.cameras.editTitle', { name: camera.name }) : t('admin.cameras.addTitle')}
      size="xl"
      onClose={onClose}
      onSubmit={() => submit()}
      submitLabel={camera ? t('common.save') : t('admin.cameras.addSubmit')}
      submitDisabled={v.mode === 'discover'}
      busy={save.busy}
      error={save.error}
      errorContext="camera"
      formTestId="camera-form"
      submitTestId="camera-form-submit"
      cancelTestId="camera-form-cancel"
      errorTestId="camera-form-error"
    >
      <Text size="xs" fw={700} className="oc-nav-label">
        {t('admin.cameras.form.sourceTitle')}
      </Text>
      <Tabs value={v.mode} onChange={(m) => (m === 'discover' || m === 'onvif' || m === 'rtsp') && form.setFieldValue('mode', m)} variant="pills" keepMounted={false}>
        <Tabs.List mb="xs">
          {!camera && (
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
          <DiscoverPanel
            onUse={(device) => {
              form.setValues({ xaddr: device.xaddr, mode: 'onvif', ...(!v.name && device.name ? { name: device.name } : {}) });
            }}
          />
        </Tabs.Panel>
        <Tabs.Panel value="onvif">
          <Stack gap="xs">
            {addressField('xaddr', 'camera-form-xaddr', 'http://192.0.2.10/onvif/device_service')}
            {credentials}
            <ProfilePicker
              key={v.xaddr}
              values={v}
              stored={[camera?.source.mainProfile ?? null, camera?.source.subProfile ?? null]}
              onProbed={(picked, model) => form.setValues({ ...picked, ...(!v.name && model ? { name: model } : {}) })}
              mainProps={form.getInputProps('mainProfile')}
              onSubChange={(sub) => form.setFieldValue('subProfile', sub)}
            />
          </Stack>
        </Tabs.Panel>
        <Tabs.Panel value="rtsp">
          <Stack gap="xs">
            {addressField('mainUrl', 'camera-form-main-url', 'rtsp://192.0.2.10:554/stream1')}
            {addressField('subUrl', 'camera-form-sub-url', 'rtsp://192.0.2.10:554/stream2')}
            {credentials}
          </Stack>
        </Tabs.Panel>
      </Tabs>

      <Text size="xs" fw={700} className="oc-nav-label" mt="xs">
        {t('admin.cameras.form.settingsTitle')}
      </Text>
      <Group grow align="flex-start">
        <TextInput data-testid="camera-form-name" label={t('admin.cameras.form.name')} {...form.getInputProps('name')} />
        <TextInput data-testid="camera-form-site" label={t('admin.cameras.form.site')} {...form.getInputProps('site')} />
        <Select
          data-testid="camera-form-group"
          label={t('admin.cameras.form.group')}
          placeholder={t('admin.cameras.form.groupPlaceholder')}
          data={groups.map((g) => ({ value: String(g.id), label: g.name }))}
          {...form.getInputProps('groupId')}
        />
      </Group>
      <Textarea data-testid="camera-form-purpose" label={t('admin.cameras.form.purpose')} description={t('admin.cameras.form.purposeHint')} autosize minRows={2} {...form.getInputProps('purpose')} />
      <Group grow align="flex-start">
        <Select
          data-testid="camera-form-area"
          label={t('admin.cameras.form.area')}
          description={t('admin.cameras.form.areaMaximum', { count: area.maxRetentionDays, clause: area.clause })}
          data={areaOptions}
          allowDeselect={false}
          {...form.getInputProps('areaType')}
          // A new area type brings its legal maximum with it as the preset (never more than it allows).
          onChange={(a) => isAreaType(a) && form.setValues({ areaType: a, retentionDays: AREA_TYPES[a].maxRetentionDays })}
        />
        <NumberInput
          data-testid="camera-form-retention"
          label={t('admin.cameras.form.retention')}
          description={t('admin.cameras.form.retentionAtMost', { count: area.maxRetentionDays, clause: area.clause })}
          min={1}
          max={area.maxRetentionDays}
          allowDecimal={false}
          allowNegative={false}
          {...form.getInputProps('retentionDays')}
        />
      </Group>
      {storedAbove && (
        <Alert data-testid="camera-form-retention-capped" color="yellow">
          {t('admin.cameras.form.retentionCapped', { stored: camera.retentionDays, count: maxRetentionDays(camera.areaType) })}
          {camera.retentionReason ? ` ${t('admin.cameras.form.retentionStoredReason', { reason: camera.retentionReason })}` : ''}
        </Alert>
      )}
      <TextInput data-testid="camera-form-location" label={t('admin.cameras.form.location')} {...form.getInputProps('location')} />
      <Checkbox
        data-testid="camera-form-confidential"
        label={t('admin.cameras.form.confidential')}
        description={t('admin.cameras.form.confidentialHint')}
        {...form.getInputProps('locationConfidential', { type: 'checkbox' })}
      />
      <Checkbox
        data-testid="camera-form-mask-at-source"
        label={t('admin.cameras.form.maskAtSource')}
        description={t('admin.cameras.form.maskAtSourceHint', { percent: MASK_AT_SOURCE_COST.cpuPercentOfCore, latencyMs: MASK_AT_SOURCE_COST.addedLatencyMs })}
        {...form.getInputProps('maskAtSource', { type: 'checkbox' })}
      />
      {offerHome && (
        <Select
          data-testid="camera-form-home-node"
          label={t('nodes.form.recordedBy')}
          description={`${t(v.homeNode ? 'nodes.form.recordedByHint' : 'nodes.form.recordedByAny')}${camera ? ` ${camera.heldBy === null ? t('nodes.form.heldByNone') : t('nodes.form.heldNow', { node: camera.heldBy })}` : ''}`}
          data={homeOptions}
          allowDeselect={false}
          {...form.getInputProps('homeNode')}
        />
      )}
      <Alert color="gray" py={6} data-testid="camera-form-audio-note">
        {t('admin.cameras.form.audioNote')}
      </Alert>
    </FormModal>
  );
}

/** ONVIF discovery on the local network: devices found, and "use" to read one's profiles. */
function DiscoverPanel({ onUse }: { onUse: (device: ResponseOf<'cameras.discover'>['devices'][number]) => void }) {
  const { t } = useTranslation();
  const action = useAction();
  const [devices, setDevices] = useState<ResponseOf<'cameras.discover'>['devices'] | null>(null);
  const discover = async () => {
    const found = await action.run('cameras.discover', {});
    if (found) setDevices(found.devices);
  };
  return (
    <Stack gap="xs">
      <Text size="xs" c="dimmed">
        {t('admin.cameras.form.discoverIntro')}
      </Text>
      <Group>
        <Button variant="default" loading={action.busy} onClick={() => void discover()} data-testid="camera-discover">
          {t('admin.cameras.form.discover')}
        </Button>
      </Group>
      <ErrorAlert error={action.error} context="camera" testId="camera-discover-error" />
      {devices?.length === 0 && (
        <Text size="xs" c="dimmed" data-testid="camera-discover-none">
          {t('admin.cameras.form.discoverNone')}
        </Text>
      )}
      {devices && devices.length > 0 && (
        <Table data-testid="camera-discover-list" withTableBorder>
          <Table.Tbody>
            {devices.map((d) => (
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
                    <Button size="compact-xs" data-testid="discover-use" onClick={() => onUse(d)}>
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
  );
}

/** Reads an ONVIF device's profiles and offers them as the main (recording, full screen) and sub (wall) streams. */
function ProfilePicker({
  values,
  stored,
  onProbed,
  mainProps,
  onSubChange,
}: {
  values: Pick<CameraValues, 'xaddr' | 'username' | 'password' | 'mainProfile' | 'subProfile'>;
  stored: [string | null, string | null];
  onProbed: (picked: { mainProfile: string | null; subProfile: string | null }, model: string) => void;
  mainProps: ReturnType<ReturnType<typeof useContractForm>['getInputProps']>;
  onSubChange: (sub: string | null) => void;
}) {
  const { t } = useTranslation();
  const action = useAction();
  const [probed, setProbed] = useState<ResponseOf<'cameras.probe'> | null>(null);
  const probe = async () => {
    const answer = await action.run('cameras.probe', { xaddr: values.xaddr, username: values.username, password: values.password });
    setProbed(answer);
    if (!answer) return;
    const usable = answer.profiles.filter((p) => p.rtspUrl);
    // Largest picture for recording and full screen, smallest for the wall.
    const bySize = [...usable].sort((a, b) => b.width * b.height - a.width * a.height);
    const keep = (cur: string | null) => (cur && usable.some((p) => p.token === cur) ? cur : null);
    onProbed({ mainProfile: keep(values.mainProfile) ?? bySize[0]?.token ?? null, subProfile: keep(values.subProfile) ?? (bySize.length > 1 ? (bySize.at(-1)?.token ?? null) : null) }, answer.model);
  };
  // Editing before the profiles are read again: offer the stored tokens.
  const options = probed
    ? probed.profiles.filter((p) => p.rtspUrl).map((p) => ({ value: p.token, label: profileLabel(p) }))
    : stored.filter((p): p is string => !!p).map((p) => ({ value: p, label: p }));
  return (
    <>
      <Group>
        <Button variant="default" loading={action.busy} disabled={!values.xaddr.trim()} onClick={() => void probe()} data-testid="camera-form-probe">
          {t('admin.cameras.form.probe')}
        </Button>
        {probed && (
          <Text size="xs" c="dimmed" data-testid="camera-form-device">
            {t('admin.cameras.form.device', { device: [probed.manufacturer, probed.model].filter(Boolean).join(' ') || '—', count: probed.profiles.length })}
          </Text>
        )}
      </Group>
      <ErrorAlert error={action.error} context="camera" testId="camera-probe-error" />
      {options.length > 0 && (
        <Group grow align="flex-start">
          <Select data-testid="camera-form-main-profile" label={t('admin.cameras.form.mainProfile')} description={t('admin.cameras.form.mainProfileHint')} data={options} {...mainProps} />
          <Select
            data-testid="camera-form-sub-profile"
            label={t('admin.cameras.form.subProfile')}
            description={t('admin.cameras.form.subProfileHint')}
            data={[{ value: '', label: t('admin.cameras.form.noSubStream') }, ...options]}
            value={values.subProfile ?? ''}
            onChange={(s) => onSubChange(s ? s : null)}
          />
        </Group>
      )}
    </>
  );
}
