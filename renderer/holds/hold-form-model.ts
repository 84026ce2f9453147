// The hold forms' state and the checks done before anything is sent. The engine checks the same
// things again (R5); these only spare the user a round trip and say what is missing.
import { requestLimits } from '../kit/contract-limits';
import { fromLocalDateTimeInput, toLocalDateTimeInput } from '../kit/format-time';

/** Camera and time-range rows a hold takes at once (the contract's bound). */
export const MAX_HOLD_ITEMS = requestLimits('holds.place', 'items').max ?? 1;

export interface ItemRow {
  key: number;
  cameraId: string | null;
  from: string;
  to: string;
}

export type ItemProblem = 'camera' | 'from' | 'to' | 'order';

let nextKey = 1;
/** A new camera and time-range row: the last hour up to now, in whole minutes. */
export function newItemRow(nowMs: number, cameraId: string | null = null): ItemRow {
  const to = Math.floor(nowMs / 60_000) * 60_000;
  return { key: nextKey++, cameraId, from: toLocalDateTimeInput(to - 3_600_000), to: toLocalDateTimeInput(to) };
}

export function itemProblem(row: ItemRow): ItemProblem | null {
  if (!row.cameraId) return 'camera';
  const from = fromLocalDateTimeInput(row.from);
  const to = fromLocalDateTimeInput(row.to);
  if (from === null) return 'from';
  if (to === null) return 'to';
  return to > from ? null : 'order';
}

export function toHoldItems(rows: readonly ItemRow[]): { cameraId: number; fromMs: number; toMs: number }[] {
  return rows.flatMap((r) => {
    const fromMs = fromLocalDateTimeInput(r.from);
    const toMs = fromLocalDateTimeInput(r.to);
    const cameraId = Number(r.cameraId);
    return fromMs !== null && toMs !== null && Number.isInteger(cameraId) && cameraId > 0 && toMs > fromMs ? [{ cameraId, fromMs, toMs }] : [];
  });
}
