// Retiring a node gone for good (docs/design/scale.md "Retiring a node"; `nodes.retire`): offered to
// administrators for a node that is down. What it costs is said before, in words: its footage is lost
// to the console (marked missing, reported by the integrity check), its cameras' home is cleared,
// and the name never records again. The administrator types the node's name and gives a reason
// (audited); the outcome, with how much footage and how much of it under a hold, is shown after.
import { useState } from 'react';
import { Alert, Text, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { NODE_RETIRE_AFTER_DOWN_MS, type NodeView, type RetiredNodeView } from '../../shared/contract';
import { ReasonModal } from '../kit/ReasonModal';
import { formatBytes } from '../storage/storage-model';

export function RetireNodeModal({ node, onClose, onDone }: { node: NodeView; onClose: () => void; onDone: (r: RetiredNodeView) => void }) {
  const { t } = useTranslation();
  const [typed, setTyped] = useState('');
  return (
    <ReasonModal
      command="nodes.retire"
      request={(reason) => ({ node: node.name, reason })}
      onDone={onDone}
      onClose={onClose}
      ready={typed.trim() === node.name}
      title={t('nodes.retire.title', { node: node.name })}
      submitLabel={t('nodes.retire.submit')}
      submitColor="red"
      size={600}
      formTestId="node-retire-form"
      inputTestId="node-retire-reason"
      submitTestId="node-retire-submit"
      errorTestId="node-retire-error"
      after={
        <TextInput
          data-testid="node-retire-confirm"
          label={t('nodes.retire.confirm', { node: node.name })}
          value={typed}
          onChange={(e) => setTyped(e.currentTarget.value)}
          autoComplete="off"
          w={320}
        />
      }
    >
      <Alert color="red" py={6} data-testid="node-retire-warning">
        <Text size="sm">{t('nodes.retire.warning', { bytes: formatBytes(node.recordingBytes) })}</Text>
      </Alert>
      <Text size="sm">{t('nodes.retire.when', { seconds: NODE_RETIRE_AFTER_DOWN_MS / 1000 })}</Text>
    </ReasonModal>
  );
}
