// The state of a dialog's form whose problems are said in the dialog's own words (a required case
// reference, a reason too short, a time in the future): the values by field, whether the user
// tried to send, and for each text field what TextField takes (its value, its change, the
// contract's maximum length of the request field of the same name, its problem once the user
// tried). Forms whose problems the contract's generic wording says use `useContractForm`
// (zod-form.ts) instead. The engine checks everything again (R5).
import { useState } from 'react';
import type { CommandName } from '../../shared/contract';

/** What is wrong, by field (or by part of the form: the cameras, the range), in words or just
 *  true when the part says it itself; falsy: nothing. */
export type FormProblems = Readonly<Record<string, string | boolean | null | undefined>>;

type TextKey<V> = { [K in keyof V]: V[K] extends string ? K : never }[keyof V] & string;

export function useFieldForm<V extends Record<string, unknown>>(command: CommandName, initial: V | (() => V), check: (values: V) => FormProblems) {
  const [values, setValues] = useState<V>(initial);
  const [tried, setTried] = useState(false);
  const problems = check(values);
  const set = <K extends keyof V>(key: K, value: V[K]) => setValues((prev) => ({ ...prev, [key]: value }));
  /** A problem is shown once the user tried to send. */
  const shown = (key: string) => tried && problems[key];
  const words = (key: string) => {
    const problem = shown(key);
    return typeof problem === 'string' ? problem : null;
  };
  return {
    values,
    set,
    tried,
    problems,
    shown,
    /** Marks the form tried (its problems show) and says whether it has none. */
    attempt: () => {
      setTried(true);
      return !Object.values(problems).some(Boolean);
    },
    /** TextField's props for a text field (its maximum length: the request field of the same name). */
    text: (key: TextKey<V>, testId: string) => ({ testId, value: values[key] as string, onChange: (value: string) => set(key, value as V[TextKey<V>]), problem: words(key), limit: [command, key] as const }),
  };
}
