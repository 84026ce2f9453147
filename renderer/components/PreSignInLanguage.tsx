import { useTranslation } from 'react-i18next';
import { applyLanguage, isLanguage, rememberPreSignInLanguage } from '../i18n';
import { LanguagePicker } from './LanguagePicker';

/** Language picker before sign-in; remembered on this seat until a user signs in with their own. */
export function PreSignInLanguage() {
  const { i18n } = useTranslation();
  const current = isLanguage(i18n.language) ? i18n.language : 'en';
  return (
    <LanguagePicker
      testId="signin-language"
      value={current}
      onChange={(language) => {
        rememberPreSignInLanguage(language);
        applyLanguage(language);
      }}
    />
  );
}
