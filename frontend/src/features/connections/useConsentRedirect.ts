import { useEffect, useState } from 'react';
import type { OAuthNetwork } from '@/lib/connections/networks';
import { useAuthorize } from '@/lib/connections/queries';

/**
 * Sends the browser to a network's consent page to connect an account there; the network sends
 * it back to `/connections/callback`. `leaving` stays set once the page is on its way out, so the
 * button that started it keeps spinning instead of coming back to life for a moment; coming back
 * with the browser's Back button (the page restored as it was left) clears it.
 */
export function useConsentRedirect() {
  const authorize = useAuthorize();
  const [leaving, setLeaving] = useState<OAuthNetwork | null>(null);

  useEffect(() => {
    function onPageShow(event: PageTransitionEvent) {
      if (event.persisted) setLeaving(null);
    }
    window.addEventListener('pageshow', onPageShow);
    return () => window.removeEventListener('pageshow', onPageShow);
  }, []);

  /** Rejects with the API's refusal (409 network not set up, 422 on `instance`). */
  async function start(network: OAuthNetwork, instance?: string): Promise<void> {
    const { authorize_url } = await authorize.mutateAsync({ network, instance });
    setLeaving(network);
    window.location.assign(authorize_url);
  }

  const pending = authorize.isPending ? (authorize.variables?.network ?? null) : leaving;
  return { start, pending };
}
