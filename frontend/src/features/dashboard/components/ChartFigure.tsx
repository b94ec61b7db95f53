import { useId, type ReactNode } from 'react';
import { Card } from '@/components/ui/Card';

/** The chart's figures as rows of text: the first cell names the row. */
export type ChartTable = { columns: string[]; rows: string[][] };

/**
 * A titled chart with its text alternative: the chart itself carries a one-sentence summary
 * (its accessible name), and a visually hidden table holds every figure it draws.
 */
export function ChartFigure({
  title,
  description,
  table,
  testId,
  children,
}: {
  title: string;
  description: ReactNode;
  table: ChartTable;
  testId?: string;
  children: ReactNode;
}) {
  const titleId = useId();
  return (
    <Card className="min-w-0 p-4 sm:p-5">
      <figure aria-labelledby={titleId} data-testid={testId} className="flex flex-col gap-3">
        <figcaption>
          <h3 id={titleId} className="text-sm font-semibold">
            {title}
          </h3>
          <p className="mt-0.5 text-xs text-muted">{description}</p>
        </figcaption>
        <div data-dynamic>{children}</div>
        {/* A table ignores the 1 px width `sr-only` gives it; the clipped box around it does not. */}
        <div className="sr-only">
          <table>
            <caption>{title}</caption>
            <thead>
              <tr>
                {table.columns.map((column) => (
                  <th key={column} scope="col">
                    {column}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {table.rows.map(([name, ...cells]) => (
                <tr key={name}>
                  <th scope="row">{name}</th>
                  {cells.map((cell, index) => (
                    <td key={table.columns[index + 1]}>{cell}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </figure>
    </Card>
  );
}
