// The cameras and time ranges of a legal hold or an export request: camera name, then the range on
// one line. With `rowTestId`, each row also carries its camera id for tests.
import { Table } from '@mantine/core';
import { formatRange } from '../kit/format-time';

export interface CameraRange {
  cameraId: number;
  cameraName: string;
  fromMs: number;
  toMs: number;
}

export function CameraRangeTable({ items, testId, rowTestId }: { items: readonly CameraRange[]; testId?: string; rowTestId?: string }) {
  return (
    <Table withRowBorders={false} verticalSpacing={2} data-testid={testId}>
      <Table.Tbody>
        {items.map((i, index) => (
          <Table.Tr key={`${i.cameraId}-${i.fromMs}-${index}`} data-testid={rowTestId} data-camera-id={rowTestId ? i.cameraId : undefined}>
            <Table.Td fw={600} fz="xs">
              {i.cameraName}
            </Table.Td>
            <Table.Td fz="xs" className="oc-nowrap">
              {formatRange(i.fromMs, i.toMs)}
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
