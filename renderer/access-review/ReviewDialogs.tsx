// The reviewer's two decisions on access review lines (docs/design/access-review.md), each with its
// reason (kept with the decision and in the audit log): confirm (one line, or every used line at
// once) and revoke (one line: it takes effect at once, so the dialog says what will happen).
import { Alert, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { CampaignView, ReviewLineView } from '../../shared/contract';
import { ReasonModal } from '../kit/ReasonModal';
import { personText, rightText } from './review-model';

export function ConfirmLinesModal({ campaignId, lines, onClose, onDone }: { campaignId: number; lines: readonly ReviewLineView[]; onClose: () => void; onDone: (c: CampaignView) => void }) {
  const { t } = useTranslation();
  const one = lines.length === 1 ? lines[0]! : null;
  return (
    <ReasonModal
      command="access.reviewConfirm"
      request={(reason) => ({ campaignId, lineIds: lines.map((l) => l.id), reason })}
      onDone={onDone}
      onClose={onClose}
      title={one ? t('accessReview.confirmDialog.title', { who: personText(one), right: rightText(t, one) }) : t('accessReview.confirmDialog.titleMany', { count: lines.length })}
      intro={one ? t('accessReview.confirmDialog.intro') : t('accessReview.confirmDialog.introMany')}
      submitLabel={t('accessReview.confirmDialog.submit')}
      hintKey="accessReview.reasonHint"
      testId="review-confirm-dialog"
      inputTestId="review-confirm-reason"
      submitTestId="review-confirm-submit"
      errorTestId="review-confirm-error"
    >
      {one?.unused && (
        <Alert color="orange" py={6} data-testid="review-confirm-unused">
          {t('accessReview.confirmDialog.unusedWarning')}
        </Alert>
      )}
    </ReasonModal>
  );
}

export function RevokeLineModal({ campaignId, line, onClose, onDone }: { campaignId: number; line: ReviewLineView; onClose: () => void; onDone: (c: CampaignView) => void }) {
  const { t } = useTranslation();
  const who = personText(line);
  return (
    <ReasonModal
      command="access.reviewRevoke"
      request={(reason) => ({ campaignId, lineId: line.id, reason })}
      onDone={onDone}
      onClose={onClose}
      title={t('accessReview.revokeDialog.title', { who, right: rightText(t, line) })}
      submitLabel={t('accessReview.revokeDialog.submit')}
      submitColor="red"
      hintKey="accessReview.reasonHint"
      testId="review-revoke-dialog"
      inputTestId="review-revoke-reason"
      submitTestId="review-revoke-submit"
      errorTestId="review-revoke-error"
    >
      <Text size="sm" data-testid="review-revoke-effect">
        {line.kind === 'role' ? t('accessReview.revokeDialog.introRole', { who }) : t('accessReview.revokeDialog.introGroup', { who, name: line.groupName ?? '' })}
      </Text>
    </ReasonModal>
  );
}
