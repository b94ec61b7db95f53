import { useEffect } from 'react';

const APP_NAME = 'Kyros';

/**
 * Sets the document title from the page's sections, most specific first, so a tab or a history
 * entry says which page it is: `usePageTitle(job.name, 'Jobs')` gives "Four-day week · Jobs ·
 * Kyros". A section not known yet (a name still loading) is left out.
 */
export function usePageTitle(...sections: Array<string | undefined>): void {
  const title = [...sections.filter((section) => section), APP_NAME].join(' · ');
  useEffect(() => {
    document.title = title;
  }, [title]);
}
