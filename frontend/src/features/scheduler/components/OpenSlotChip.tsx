import type { OpenSlot } from '@/lib/api/types';
import { useConnections } from '@/lib/connections/queries';
import { timeIn } from '../format';

/** An empty posting slot on the calendar, drawn faintly: "09:30 · Open slot · @kyros". */
export function OpenSlotChip({ slot, timeZone }: { slot: OpenSlot; timeZone: string }) {
  const connections = useConnections();
  const handle =
    connections.data?.find((c) => c.id === slot.connection_id)?.handle ?? 'a connected account';
  const time = timeIn(slot.at, timeZone);
  return (
    <span
      title={`${time} · Open slot · ${handle}`}
      className="block truncate rounded-md border border-dashed border-border/80 px-1.5 py-0.5 text-xs text-muted/80"
      data-testid="open-slot"
    >
      <span className="tabular-nums">{time}</span> · Open slot · {handle}
    </span>
  );
}
