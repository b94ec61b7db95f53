import { useEffect, useRef, type ReactNode } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { Card } from '@/components/ui/Card';
import { ErrorDetails } from '@/components/ui/Field';
import { Spinner } from '@/components/ui/Spinner';
import { PageHeader } from '@/components/ui/States';
import { useToast } from '@/components/ui/Toast';
import { ApiError } from '@/lib/api/problem';
import { humanConnectionError } from '@/lib/humanErrors';
import { usePageTitle } from '@/lib/usePageTitle';
import type { Connection } from '@/lib/api/types';
import { CONNECTIONS_SETTINGS } from '@/lib/connections/links';
import { accountLabel } from '@/lib/connections/networks';
import { isChoice, useFinishConnection } from '@/lib/connections/queries';
import { AccountChoicePicker } from './AccountChoicePicker';

const backLink =
  'inline-flex h-10 w-fit items-center rounded-lg bg-accent px-4 text-sm font-medium text-accent-fg hover:bg-accent-hover';

function Outcome({
  title,
  children,
  alert = false,
}: {
  title: string;
  children: ReactNode;
  alert?: boolean;
}) {
  return (
    <div role={alert ? 'alert' : 'status'} className="flex flex-col gap-3">
      <h2 className="text-base font-semibold">{title}</h2>
      <div className="flex flex-col gap-2 text-sm text-muted">{children}</div>
      <Link to={CONNECTIONS_SETTINGS} className={backLink}>
        Back to Connections
      </Link>
    </div>
  );
}

/**
 * `/connections/callback`, where a network's consent page sends the browser back with a `code`
 * and a `state` (or an `error`). The pair is sent to the API once (the state works only once,
 * and React runs effects twice in development), then the person lands on Settings → Connections;
 * when the consent can connect several accounts (a LinkedIn profile and its member's pages), they
 * choose which first.
 */
export function ConnectionCallbackPage() {
  usePageTitle('Connect an account');
  const [params] = useSearchParams();
  const code = params.get('code');
  const state = params.get('state');
  const error = params.get('error');
  const { mutate, isError, error: refusal, data: finished } = useFinishConnection();
  const navigate = useNavigate();
  const toast = useToast();
  const sent = useRef<string | null>(null);
  const answered = !error && code && state;

  useEffect(() => {
    if (error || !code || !state || sent.current === state) return;
    sent.current = state;
    mutate(
      { state, code },
      {
        onSuccess: (result) => {
          if (isChoice(result)) return;
          toast.success(`Connected ${accountLabel(result)}`);
          navigate(CONNECTIONS_SETTINGS, { replace: true });
        },
      },
    );
  }, [code, state, error, mutate, navigate, toast]);

  function chosen(connected: Connection[]) {
    toast.success(`Connected ${connected.map(accountLabel).join(' and ')}`);
    navigate(CONNECTIONS_SETTINGS, { replace: true });
  }

  let body: ReactNode;
  if (error === 'access_denied') {
    body = (
      <Outcome title="You declined the connection">
        <p>Nothing was connected, and Kyros got no access to the account.</p>
        <p>You can connect it from Settings whenever you like.</p>
      </Outcome>
    );
  } else if (error) {
    const said = params.get('error_description') || error;
    body = (
      <Outcome title="The network did not connect the account" alert>
        <p>It answered: {said}</p>
        <p>Start again from Settings → Connections.</p>
      </Outcome>
    );
  } else if (!answered) {
    body = (
      <Outcome title="Nothing to connect here">
        <p>
          This page finishes connecting an account after the network’s consent page. Start from
          Settings → Connections.
        </p>
      </Outcome>
    );
  } else if (isError) {
    const said = humanConnectionError(
      refusal instanceof ApiError ? refusal.userMessage : 'Please try again.',
    );
    body = (
      <Outcome title="Could not connect the account" alert>
        <p className="text-fg">{said?.message}</p>
        <ErrorDetails detail={said?.detail} />
      </Outcome>
    );
  } else if (finished && isChoice(finished)) {
    body = <AccountChoicePicker choice={finished} onConnected={chosen} />;
  } else if (finished) {
    body = (
      <p role="status" className="text-sm font-medium">
        Connected {accountLabel(finished)}
      </p>
    );
  } else {
    body = (
      <div role="status" className="flex items-center gap-3 text-sm">
        <Spinner className="size-5 text-accent" />
        Finishing the connection…
      </div>
    );
  }

  return (
    <div className="mx-auto max-w-lg">
      <PageHeader title="Connect an account" />
      <Card className="p-5 sm:p-6" data-testid="connection-callback">
        {body}
      </Card>
    </div>
  );
}
