import { Button } from '@/components/ui/Button';
import { useToast } from '@/components/ui/Toast';

/** A secret the server shows once (a new API token, a webhook signing secret), with a copy button. */
export function OneTimeSecret({
  value,
  name,
  onDone,
  testId,
}: {
  value: string;
  /** What the secret is, in the reader's words: "token", "signing secret". */
  name: string;
  onDone: () => void;
  testId: string;
}) {
  const toast = useToast();
  const title = name[0].toUpperCase() + name.slice(1);
  return (
    <div
      className="flex flex-col gap-3 rounded-lg border border-accent/40 bg-accent/5 p-4"
      role="status"
    >
      <p className="text-sm font-medium">Copy your new {name} now: it will not be shown again.</p>
      <code className="break-all rounded bg-surface px-2 py-1 text-sm" data-testid={testId}>
        {value}
      </code>
      <div className="flex gap-2">
        <Button
          size="sm"
          variant="primary"
          onClick={() =>
            void navigator.clipboard
              .writeText(value)
              .then(() => toast.success(`${title} copied`))
              .catch(() =>
                toast.error('Could not copy', `Select the ${name} and copy it yourself.`),
              )
          }
        >
          Copy {name}
        </Button>
        <Button size="sm" variant="ghost" onClick={onDone}>
          Done
        </Button>
      </div>
    </div>
  );
}
